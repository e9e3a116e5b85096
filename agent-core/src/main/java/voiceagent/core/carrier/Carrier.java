package voiceagent.core.carrier;

import java.util.function.Supplier;
import voiceagent.core.internal.carrier.exotel.ExotelCodec;
import voiceagent.core.internal.carrier.plivo.PlivoCodec;
import voiceagent.core.internal.carrier.telnyx.TelnyxCodec;
import voiceagent.core.internal.carrier.twilio.TwilioCodec;
import voiceagent.core.internal.carrier.vonage.VonageCodec;

/**
 * The telephony carriers whose media-stream WebSocket the runtime serves, each with its endpoint path and its wire
 * codec (see {@code telephony.md}).
 *
 * <p>Thread contract: immutable; {@link #newCodec()} gives a fresh codec per call.
 */
public enum Carrier {
  TWILIO("/twilio/stream", TwilioCodec::new),
  TELNYX("/telnyx/stream", TelnyxCodec::new),
  PLIVO("/plivo/stream", PlivoCodec::new),
  VONAGE("/vonage/stream", VonageCodec::new),
  EXOTEL("/exotel/stream", ExotelCodec::new);

  private final String path;
  private final Supplier<CarrierCodec> codecs;

  Carrier(String path, Supplier<CarrierCodec> codecs) {
    this.path = path;
    this.codecs = codecs;
  }

  /** The server's WebSocket endpoint path for this carrier, e.g. {@code /twilio/stream}. */
  public String path() {
    return path;
  }

  /** Lower-case name used in config keys, metrics tags and logs ({@code twilio}). */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A new codec for one call: it keeps that call's stream id, format and reused buffers. */
  public CarrierCodec newCodec() {
    return codecs.get();
  }

  /** The carrier served at {@code path}, or {@code null}. */
  public static Carrier forPath(String path) {
    for (Carrier c : values()) if (c.path.equals(path)) return c;
    return null;
  }
}
