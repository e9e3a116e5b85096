package voiceagent.core.internal.carrier.twilio;

import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.internal.carrier.JsonCarrierCodec;

/**
 * Twilio Media Streams (bidirectional {@code <Connect><Stream>}): camelCase JSON, μ-law 8 kHz. Outbound messages carry
 * exactly the documented fields ({@code event}, {@code streamSid}, {@code media.payload} / {@code mark.name}) because
 * Twilio rejects extra ones (error 31951). A clear makes Twilio return every pending mark at once.
 *
 * <p>Thread contract: confined to one call's context.
 */
public final class TwilioCodec extends JsonCarrierCodec {

  public TwilioCodec() {
    super("streamSid", MEDIA, MARK, START, CONNECTED, DTMF, STOP);
  }

  @Override
  public Carrier carrier() {
    return Carrier.TWILIO;
  }

  @Override
  protected CarrierEvent started() {
    return start("start.streamSid", "start.mediaFormat.encoding", "audio/x-mulaw", false, in.customParameters());
  }
}
