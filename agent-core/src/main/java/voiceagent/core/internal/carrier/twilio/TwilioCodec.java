package voiceagent.core.internal.carrier.twilio;

import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.WireMessage;
import voiceagent.core.internal.carrier.InboundEvents;
import voiceagent.core.internal.carrier.JsonCarrierCodec;

/**
 * Twilio Media Streams (bidirectional {@code <Connect><Stream>}): camelCase JSON, μ-law 8 kHz. Outbound messages carry
 * exactly the documented fields ({@code event}, {@code streamSid}, {@code media.payload} / {@code mark.name}) because
 * Twilio rejects extra ones (error 31951). A clear makes Twilio return every pending mark at once.
 *
 * <p>Thread contract: confined to one call's context.
 */
public final class TwilioCodec extends JsonCarrierCodec {
  private static final byte[] ID = bytes(",\"streamSid\":");

  public TwilioCodec() {
    super(MEDIA, MARK, START, CONNECTED, DTMF, STOP);
  }

  @Override
  public Carrier carrier() {
    return Carrier.TWILIO;
  }

  @Override
  protected CarrierEvent decode(String event) {
    if (event.equals(START)) {
      return start("start.streamSid", "start.mediaFormat.encoding", "audio/x-mulaw", false, in.customParameters());
    }
    CarrierEvent e = decodeShared(event);
    return e != null ? e : InboundEvents.unknown(event);
  }

  @Override
  public WireMessage media(byte[] audio, int off, int len) {
    return mediaMessage(ID, audio, off, len);
  }

  @Override
  public WireMessage mark(String name) {
    return markMessage(ID, name);
  }

  @Override
  public WireMessage clear() {
    return clearMessage(ID);
  }

  @Override
  public ClearAck clearAck() {
    return ClearAck.MARKS_FLUSHED;
  }

  @Override
  public Chunking chunking() {
    return Chunking.ANY;
  }
}
