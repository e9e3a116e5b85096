package voiceagent.core.internal.carrier;

import java.util.Locale;
import voiceagent.audio.AudioFormat;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.CarrierEvent.Malformed;
import voiceagent.core.carrier.CarrierEvent.Problem;

/**
 * The decoding steps the JSON carriers share: media, marks, DTMF, the media-format names, and the malformed results.
 *
 * <p>Thread contract: stateless.
 */
public final class InboundEvents {
  private static final String DTMF_DIGITS = "0123456789*#ABCD";

  private InboundEvents() {}

  /** The malformed result of a failed {@link InboundReader#read}. */
  public static Malformed malformed(InboundReader in) {
    return new Malformed(in.problem(), in.detail());
  }

  public static Malformed missing(String field) {
    return new Malformed(Problem.MISSING_FIELD, field + " is missing");
  }

  /** An event name the carrier does not send, or no event at all. */
  public static Malformed unknown(String event) {
    return event == null ? missing("event") : new Malformed(Problem.UNKNOWN_EVENT, "event=\"" + event + "\" is unknown");
  }

  /** The caller's audio of a {@code media} message; the agent's own track (both-tracks streams) is ignored. */
  public static CarrierEvent media(InboundReader in) {
    if (in.payloadLength() < 0) return missing("media.payload");
    if (in.outboundTrack()) return new CarrierEvent.Ignored("media on the outbound track");
    return new CarrierEvent.Media(in.payload(), in.payloadLength(), in.chunk() >= 0 ? in.chunk() : in.sequence());
  }

  /** An echoed mark (checkpoint), named by {@code mark.name} or a top-level {@code name}. */
  public static CarrierEvent mark(InboundReader in, String field) {
    return in.name() == null ? missing(field) : new CarrierEvent.MarkPlayed(in.name());
  }

  /** Key presses: {@code 0-9 * # A-D}, upper-cased; anything else is a bad field naming the value. */
  public static CarrierEvent dtmf(InboundReader in) {
    String digits = in.digit();
    if (digits == null || digits.isEmpty()) return missing("dtmf.digit");
    String upper = digits.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      if (DTMF_DIGITS.indexOf(upper.charAt(i)) < 0) {
        return new Malformed(Problem.BAD_FIELD, "dtmf.digit=\"" + digits + "\" is not a DTMF digit");
      }
    }
    return new CarrierEvent.Dtmf(upper);
  }

  /**
   * The audio format a carrier names ({@code audio/x-mulaw}, {@code PCMU}, {@code audio/x-l16}, {@code audio/x-raw},
   * {@code L16}, ...) at {@code rate} ({@code -1}: 8000), or {@code null} when the runtime cannot play it.
   *
   * @param l16BigEndian whether this carrier's L16 is network byte order (Telnyx) rather than little-endian
   */
  public static AudioFormat format(String encoding, long rate, boolean l16BigEndian) {
    if (encoding == null) return null;
    int hz = rate <= 0 ? 8000 : (int) Math.min(rate, 192_000);
    String e = encoding.toLowerCase(Locale.ROOT);
    if (e.contains("mulaw") || e.contains("ulaw") || e.equals("pcmu")) {
      return hz == 8000 ? AudioFormat.MULAW_8K : null;
    }
    if (e.contains("alaw") || e.equals("pcma")) return hz == 8000 ? AudioFormat.ALAW_8K : null;
    if (e.contains("l16") || e.contains("x-raw") || e.contains("slin") || e.contains("linear16")) {
      if (hz != 8000 && hz != 16000 && hz != 24000) return null;
      return new AudioFormat(l16BigEndian ? AudioFormat.Encoding.PCM16_BE : AudioFormat.Encoding.PCM16_LE, hz, 1);
    }
    return null;
  }

  public static Malformed unsupported(String field, String encoding, long rate) {
    return new Malformed(Problem.UNSUPPORTED_FORMAT,
        field + "=\"" + encoding + "\" at " + rate + " Hz is not a format the runtime plays");
  }

  /** The byte that is silence in {@code format} (μ-law 0xFF, A-law 0xD5, PCM 0). */
  public static byte silence(AudioFormat format) {
    return switch (format.encoding()) {
      case MULAW -> (byte) 0xFF;
      case ALAW -> (byte) 0xD5;
      case PCM16_LE, PCM16_BE -> 0;
    };
  }
}
