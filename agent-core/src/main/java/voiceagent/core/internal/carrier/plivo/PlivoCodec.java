package voiceagent.core.internal.carrier.plivo;

import java.util.LinkedHashMap;
import java.util.Map;
import voiceagent.audio.AudioFormat;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.WireMessage;
import voiceagent.core.internal.carrier.InboundEvents;
import voiceagent.core.internal.carrier.JsonCarrierCodec;

/**
 * Plivo Audio Streams: camelCase JSON without a {@code connected} event; the setup's {@code extraHeaders} arrive as
 * {@code extra_headers} (an object or a {@code k=v,k2=v2} string) and become the custom parameters. Outbound audio is
 * {@code playAudio} whose {@code contentType} and {@code sampleRate} repeat the stream's {@code mediaFormat}; marks
 * are {@code checkpoint} (answered by {@code playedStream}, or {@code played} in one support article) and a clear is
 * {@code clearAudio} (answered by {@code clearedAudio}).
 *
 * <p>Thread contract: confined to one call's context.
 */
public final class PlivoCodec extends JsonCarrierCodec {
  private static final String PLAYED_STREAM = "playedStream";
  private static final String PLAYED = "played";
  private static final String CLEARED = "clearedAudio";
  private static final byte[] PLAY_HEAD = bytes("{\"event\":\"playAudio\"");
  private static final byte[] CHECKPOINT_HEAD = bytes("{\"event\":\"checkpoint\"");
  private static final byte[] NAME = bytes(",\"name\":");
  private static final byte[] CLEAR_HEAD = bytes("{\"event\":\"clearAudio\"");
  private static final byte[] END = bytes("}");

  /** {@code ,"media":{"contentType":"audio/x-mulaw","sampleRate":8000,"payload":"} for this stream's format. */
  private byte[] playBody;

  public PlivoCodec() {
    super("streamId", MEDIA, PLAYED_STREAM, PLAYED, START, DTMF, CLEARED, STOP);
  }

  @Override
  public Carrier carrier() {
    return Carrier.PLIVO;
  }

  @Override
  protected CarrierEvent decode(String event) {
    return switch (event) {
      case MEDIA -> InboundEvents.media(in);
      case PLAYED_STREAM, PLAYED -> InboundEvents.mark(in, "name");
      case START -> started();
      case DTMF -> InboundEvents.dtmf(in);
      case CLEARED -> new CarrierEvent.Cleared();
      case STOP -> new CarrierEvent.Stopped(in.reason() != null ? in.reason() : STOP);
      default -> InboundEvents.unknown(event);
    };
  }

  @Override
  protected CarrierEvent started() {
    Map<String, String> custom = new LinkedHashMap<>(in.headers());
    custom.putAll(in.customParameters());
    CarrierEvent e = start("start.streamId", "start.mediaFormat.encoding", "audio/x-mulaw", false, custom);
    if (e instanceof CarrierEvent.Started s) {
      String type = s.format().encoding() == AudioFormat.Encoding.MULAW ? "audio/x-mulaw" : "audio/x-l16";
      playBody = bytes(",\"media\":{\"contentType\":\"" + type + "\",\"sampleRate\":" + s.format().sampleRate()
          + ",\"payload\":\"");
    }
    return e;
  }

  @Override
  public WireMessage media(byte[] audio, int off, int len) {
    return head(PLAY_HEAD, false).raw(playBody).base64(audio, off, len).raw(PAYLOAD_END);
  }

  @Override
  public WireMessage mark(String name) {
    return head(CHECKPOINT_HEAD, true).raw(NAME).string(name).raw(END);
  }

  @Override
  public WireMessage clear() {
    return head(CLEAR_HEAD, true).raw(END);
  }

  @Override
  public ClearAck clearAck() {
    return ClearAck.EVENT;
  }
}
