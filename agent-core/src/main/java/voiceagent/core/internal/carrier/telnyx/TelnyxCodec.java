package voiceagent.core.internal.carrier.telnyx;

import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.CarrierEvent.Malformed;
import voiceagent.core.carrier.CarrierEvent.Problem;
import voiceagent.core.internal.carrier.JsonCarrierCodec;

/**
 * Telnyx Media Streaming in {@code rtp} bidirectional mode: snake_case JSON ({@code stream_id},
 * {@code sequence_number}, {@code media_format.sample_rate}); PCMU, PCMA or L16 (network byte order, as the observed
 * client library treats it). The documented client frames carry no stream id: the socket identifies the stream. A
 * clear returns the queued marks, like Twilio.
 *
 * <p>Thread contract: confined to one call's context.
 */
public final class TelnyxCodec extends JsonCarrierCodec {
  private static final String ERROR = "error";

  public TelnyxCodec() {
    super(null, MEDIA, MARK, START, CONNECTED, DTMF, STOP, ERROR);
  }

  @Override
  public Carrier carrier() {
    return Carrier.TELNYX;
  }

  @Override
  protected CarrierEvent decode(String event) {
    if (event.equals(ERROR)) {
      return new Malformed(Problem.CARRIER_ERROR, "Telnyx error: " + (in.error() != null ? in.error() : "no detail"));
    }
    return super.decode(event);
  }

  @Override
  protected CarrierEvent started() {
    return start("stream_id", "start.media_format.encoding", "PCMU", true, in.customParameters());
  }
}
