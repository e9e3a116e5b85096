package voiceagent.core.internal.carrier.exotel;

import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.internal.carrier.JsonCarrierCodec;

/**
 * Exotel Voicebot (AgentStream): snake_case JSON with {@code stream_sid}, numbers as strings, raw "slin" PCM16 8 kHz
 * by default ({@code start.media_format} decides). Outbound media must be a multiple of 320 bytes (a short trailing
 * piece makes the platform wait 20 ms, an audible gap) and at least 3,200 bytes, which fits both readings of the
 * vendor's "100 ms" minimum; at most 100 KB. Nothing confirms a clear, so it counts as done once sent.
 *
 * <p>Thread contract: confined to one call's context.
 */
public final class ExotelCodec extends JsonCarrierCodec {
  /** Exotel's outbound granularity and limits (telephony.md §6). */
  public static final Chunking CHUNKING = new Chunking(320, 3200, 100_000);

  public ExotelCodec() {
    super("stream_sid", MEDIA, MARK, START, CONNECTED, DTMF, STOP);
  }

  @Override
  public Carrier carrier() {
    return Carrier.EXOTEL;
  }

  @Override
  protected CarrierEvent started() {
    return start("start.stream_sid", "start.media_format.encoding", "audio/x-raw", false, in.customParameters());
  }

  @Override
  public ClearAck clearAck() {
    return ClearAck.ON_SEND;
  }

  @Override
  public Chunking chunking() {
    return CHUNKING;
  }
}
