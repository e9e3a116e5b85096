package voiceagent.core.internal.carrier.vonage;

import java.util.LinkedHashMap;
import java.util.Map;
import voiceagent.audio.AudioFormat;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierCodec;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.CarrierEvent.Malformed;
import voiceagent.core.carrier.CarrierEvent.Problem;
import voiceagent.core.carrier.WireMessage;
import voiceagent.core.internal.carrier.InboundEvents;
import voiceagent.core.internal.carrier.InboundReader;
import voiceagent.core.internal.carrier.WireBuffer;

/**
 * Vonage Voice API WebSockets: audio both ways is binary 16-bit little-endian PCM at the rate of the
 * {@code content-type} ({@code audio/l16;rate=16000}), one 20 ms frame per message; control is JSON text
 * ({@code websocket:connected} carries the format and the NCCO's custom headers flattened at the top level). There are
 * no marks here: the session's pacing clock tells what has played ({@link ClearAck#NONE}); a clear is
 * {@code {"action":"clear"}}.
 *
 * <p>Thread contract: confined to one call's context.
 */
public final class VonageCodec implements CarrierCodec {
  private static final String CONNECTED = "websocket:connected";
  private static final String CLEARED = "websocket:cleared";
  private static final String DTMF = "websocket:dtmf";
  private static final String NOTIFY = "websocket:notify";
  private static final String PREFIX = "websocket:";
  private static final byte[] CLEAR = "{\"action\":\"clear\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Frame length Vonage plays per message. */
  private static final int FRAME_MILLIS = 20;

  private final InboundReader in = new InboundReader(CONNECTED, CLEARED, DTMF, NOTIFY);
  private final WireBuffer out = new WireBuffer(1024);
  private AudioFormat format;
  private int frameBytes;
  private Chunking chunking = Chunking.ANY;
  private byte[] audio = new byte[1024];

  @Override
  public Carrier carrier() {
    return Carrier.VONAGE;
  }

  @Override
  public CarrierEvent decodeText(byte[] utf8, int off, int len) {
    if (!in.read(utf8, off, len)) return InboundEvents.malformed(in);
    String event = in.event();
    if (event == null) return InboundEvents.missing("event");
    return switch (event) {
      case CONNECTED -> connected();
      case CLEARED -> new CarrierEvent.Cleared();
      case DTMF -> InboundEvents.dtmf(in);
      // notify echoes a payload we never send; Vonage may add websocket:* events, which its docs say to ignore.
      default -> event.startsWith(PREFIX) ? new CarrierEvent.Ignored(event) : InboundEvents.unknown(event);
    };
  }

  private CarrierEvent connected() {
    String type = in.contentType();
    if (type == null) return InboundEvents.missing("content-type");
    long rate = 8000;
    int at = type.indexOf("rate=");
    if (at >= 0) {
      try {
        rate = Long.parseLong(type.substring(at + 5).split(";")[0].strip());
      } catch (NumberFormatException e) {
        return new Malformed(Problem.BAD_FIELD, "content-type=\"" + type + "\" has no numeric rate");
      }
    }
    AudioFormat f = InboundEvents.format(type.split(";")[0].strip(), rate, false);
    if (f == null) return InboundEvents.unsupported("content-type", type, rate);
    format = f;
    frameBytes = f.bytesFor(FRAME_MILLIS);
    chunking = new Chunking(frameBytes, frameBytes, frameBytes);
    Map<String, String> headers = new LinkedHashMap<>(in.headers());
    in.captureHeaders(false);
    String callId = first(headers, "call_id", "callId", "uuid", "conversation_uuid");
    return new CarrierEvent.Started(null, callId, null, f, headers);
  }

  private static String first(Map<String, String> map, String... keys) {
    for (String k : keys) if (map.get(k) != null) return map.get(k);
    return null;
  }

  @Override
  public CarrierEvent decodeBinary(byte[] data, int off, int len) {
    if (format == null) return new Malformed(Problem.BAD_BINARY, "audio frame before websocket:connected");
    if (len == 0 || len % 2 != 0) {
      return new Malformed(Problem.BAD_BINARY, "binary frame of " + len + " bytes is not whole 16-bit samples");
    }
    if (off == 0) return new CarrierEvent.Media(data, len, -1);
    if (audio.length < len) audio = new byte[len];
    System.arraycopy(data, off, audio, 0, len);
    return new CarrierEvent.Media(audio, len, -1);
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  /** One binary frame of exactly 20 ms: {@code len} must not exceed it; a shorter piece is padded with silence. */
  @Override
  public WireMessage media(byte[] data, int off, int len) {
    if (format == null) throw new IllegalStateException("the stream has not started: no outbound message yet");
    if (len > frameBytes) throw new IllegalArgumentException("len=" + len + " exceeds one 20 ms frame: " + frameBytes);
    return out.binaryMessage().raw(data, off, len).fill((byte) 0, frameBytes - len);
  }

  @Override
  public WireMessage mark(String name) {
    return null;
  }

  @Override
  public WireMessage clear() {
    return out.textMessage().raw(CLEAR);
  }

  @Override
  public ClearAck clearAck() {
    return ClearAck.NONE;
  }

  @Override
  public Chunking chunking() {
    return chunking;
  }
}
