package voiceagent.core.internal.carrier;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Map;
import voiceagent.audio.AudioFormat;
import voiceagent.core.carrier.CarrierCodec;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.CarrierEvent.Malformed;
import voiceagent.core.carrier.CarrierEvent.Problem;
import voiceagent.core.carrier.WireMessage;

/**
 * What the JSON media-stream carriers share: one {@link InboundReader} and one {@link WireBuffer} per call, the start
 * handling (stream id, format, custom parameters) and the head of outbound messages
 * ({@code {"event":"media","streamSid":"MZ…"}}). Subclasses map event names and write their own message bodies.
 *
 * <p>Thread contract: confined to one call's context.
 */
public abstract class JsonCarrierCodec implements CarrierCodec {
  protected static final String MEDIA = "media";
  protected static final String MARK = "mark";
  protected static final String START = "start";
  protected static final String CONNECTED = "connected";
  protected static final String DTMF = "dtmf";
  protected static final String STOP = "stop";
  protected static final byte[] PAYLOAD_END = bytes("\"}}");
  private static final byte[] MEDIA_HEAD = bytes("{\"event\":\"media\"");
  private static final byte[] MEDIA_BODY = bytes(",\"media\":{\"payload\":\"");
  private static final byte[] MARK_HEAD = bytes("{\"event\":\"mark\"");
  private static final byte[] MARK_BODY = bytes(",\"mark\":{\"name\":");
  private static final byte[] CLEAR_HEAD = bytes("{\"event\":\"clear\"");
  private static final byte[] END = bytes("}");
  private static final byte[] END2 = bytes("}}");

  protected final InboundReader in;
  /** The outbound stream-id key ({@code ,"streamSid":}), or {@code null} when messages carry none (Telnyx). */
  private final byte[] idKey;
  protected final WireBuffer out = new WireBuffer(1024);
  /** Set by the start message; read by the outbound builders. */
  protected String streamId;
  protected AudioFormat format;

  /**
   * @param idKey  the stream-id key of outbound messages (e.g. {@code streamSid}), or {@code null} for none
   * @param events the carrier's inbound event names
   */
  protected JsonCarrierCodec(String idKey, String... events) {
    this.idKey = idKey == null ? null : bytes(",\"" + idKey + "\":");
    in = new InboundReader(events);
  }

  protected static byte[] bytes(String ascii) {
    return ascii.getBytes(US_ASCII);
  }

  @Override
  public final CarrierEvent decodeText(byte[] utf8, int off, int len) {
    if (!in.read(utf8, off, len)) return InboundEvents.malformed(in);
    String event = in.event();
    return event == null ? InboundEvents.missing("event") : decode(event);
  }

  /**
   * Maps a read message with event {@code event}: {@code start} to {@link #started()}, then the events Twilio, Telnyx
   * and Exotel share ({@code media}, {@code mark}, {@code connected}, {@code dtmf}, {@code stop}).
   */
  protected CarrierEvent decode(String event) {
    return switch (event) {
      case START -> started();
      case MEDIA -> InboundEvents.media(in);
      case MARK -> InboundEvents.mark(in, "mark.name");
      case CONNECTED -> new CarrierEvent.Connected();
      case DTMF -> InboundEvents.dtmf(in);
      case STOP -> new CarrierEvent.Stopped(in.reason() != null ? in.reason() : STOP);
      default -> InboundEvents.unknown(event);
    };
  }

  /** Twilio and Telnyx return every pending mark on a clear; Plivo and Exotel say otherwise. */
  @Override
  public ClearAck clearAck() {
    return ClearAck.MARKS_FLUSHED;
  }

  /** Any length of audio per message, except where a carrier says otherwise (Exotel). */
  @Override
  public Chunking chunking() {
    return Chunking.ANY;
  }

  /** The start message just read, through {@link #start}. */
  protected abstract CarrierEvent started();

  @Override
  public CarrierEvent decodeBinary(byte[] data, int off, int len) {
    return new Malformed(Problem.BAD_BINARY, "binary frame of " + len + " bytes on a JSON text protocol");
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  /**
   * The start message as {@link CarrierEvent.Started}, or malformed when the stream id is missing or the format is
   * one the runtime cannot play. A format the carrier leaves out is {@code defaultEncoding} at 8 kHz.
   */
  protected CarrierEvent start(String idField, String formatField, String defaultEncoding, boolean l16BigEndian,
      Map<String, String> customParameters) {
    String id = in.streamId();
    if (id == null || id.isBlank()) return InboundEvents.missing(idField);
    String encoding = in.encoding() != null ? in.encoding() : defaultEncoding;
    AudioFormat f = InboundEvents.format(encoding, in.sampleRate(), l16BigEndian);
    if (f == null) return InboundEvents.unsupported(formatField, encoding, in.sampleRate());
    if (in.channels() > 1) {
      return new Malformed(Problem.UNSUPPORTED_FORMAT, formatField + ".channels=" + in.channels() + ": mono only");
    }
    streamId = id;
    format = f;
    in.captureHeaders(false);
    return new CarrierEvent.Started(id, in.callId(), in.accountId(), f, customParameters);
  }

  /** {@code {"event":"media",<idKey>:"…","media":{"payload":"…"}}}; no id when {@code idKey} is null (Telnyx). */
  @Override
  public WireMessage media(byte[] audio, int off, int len) {
    return head(MEDIA_HEAD, true).raw(MEDIA_BODY).base64(audio, off, len).raw(PAYLOAD_END);
  }

  /** {@code {"event":"mark",<idKey>:"…","mark":{"name":"…"}}}. */
  @Override
  public WireMessage mark(String name) {
    return head(MARK_HEAD, true).raw(MARK_BODY).string(name).raw(END2);
  }

  /** {@code {"event":"clear",<idKey>:"…"}}. */
  @Override
  public WireMessage clear() {
    return head(CLEAR_HEAD, true).raw(END);
  }

  /** Starts a text message with {@code eventHead} and, when {@code withId} and the carrier has a key, the stream id. */
  protected WireBuffer head(byte[] eventHead, boolean withId) {
    if (format == null) throw new IllegalStateException("the stream has not started: no outbound message yet");
    out.textMessage().raw(eventHead);
    if (withId && idKey != null) out.raw(idKey).string(streamId);
    return out;
  }
}
