package voiceagent.core.internal.carrier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import voiceagent.common.Base64Bytes;
import voiceagent.core.carrier.CarrierEvent.Problem;

/**
 * Reads one carrier JSON message with Jackson's streaming parser into reused fields: the union of what the five
 * carriers send ({@code event}, ids, sequence numbers, {@code media}, {@code start}, {@code mark}, {@code dtmf},
 * {@code stop}, Plivo's top-level {@code name}, Vonage's top-level headers). Fields may come in any order and in any
 * casing {@link Field} knows; numbers may be JSON numbers or strings; unknown fields are skipped.
 *
 * <p>A media frame is read without a tree and without allocation: the event name is matched against the codec's known
 * names on the parser's characters, the stream id is compared with the one already held, and the payload is decoded
 * from the parser's characters into a reused buffer. Only the parser itself is allocated per message.
 *
 * <p>Thread contract: confined to one codec.
 */
public final class InboundReader {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** Values longer than this are cut in problem details: enough to recognise, never a whole payload. */
  private static final int DETAIL_CHARS = 40;

  private final String[] knownEvents;
  private boolean captureHeaders = true;

  // Results of the last read(); reset at its start.
  private String event;
  private long sequence;
  private long chunk;
  private boolean outboundTrack;
  private byte[] payload = new byte[1024];
  private int payloadLength;
  private String name;
  private String digit;
  private String reason;
  private String error;
  private boolean start;
  private String startStreamId;
  private String callId;
  private String callSession;
  private String accountId;
  private String encoding;
  private long sampleRate;
  private long channels;
  private Map<String, String> custom;
  private Map<String, String> headers;
  private String contentType;
  private Problem problem;
  private String detail;
  /** Kept across reads so that the same id in every media frame is recognised instead of copied. */
  private String streamId;

  /** @param knownEvents the event names of the carrier, matched without allocating a string */
  public InboundReader(String... knownEvents) {
    this.knownEvents = knownEvents;
  }

  /**
   * Whether to collect setup data that some carriers repeat in every message (Plivo {@code extra_headers}, Vonage's
   * top-level headers). A codec turns it off once started, so the repetition costs nothing per frame.
   */
  public void captureHeaders(boolean capture) {
    captureHeaders = capture;
  }

  /** Reads one message; false when it is malformed ({@link #problem()} and {@link #detail()} say why). */
  public boolean read(byte[] utf8, int off, int len) {
    reset();
    try (JsonParser p = JSON.createParser(utf8, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return fail(Problem.BAD_JSON, "the message is not a JSON object");
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        Field f = Field.of(key);
        JsonToken v = p.nextToken();
        if (!topLevel(p, f, key, v)) return false;
      }
      if (t != JsonToken.END_OBJECT) return fail(Problem.BAD_JSON, "the JSON object is not closed");
      return true;
    } catch (IOException | RuntimeException e) {
      // Jackson reports broken JSON as an exception; the socket handler must only ever see a value.
      return fail(Problem.BAD_JSON, "not valid JSON near offset " + errorOffset(e));
    }
  }

  private boolean topLevel(JsonParser p, Field f, String key, JsonToken v) throws IOException {
    if (f == null) {
      other(p, key, v);
      return true;
    }
    switch (f) {
      case EVENT -> {
        if (v != JsonToken.VALUE_STRING) return fail(Problem.BAD_FIELD, "event is not a string");
        event = eventName(p);
      }
      case SEQUENCE -> sequence = number(p, v, "sequenceNumber");
      case STREAM_ID -> streamId = sameOrNew(p, v, streamId);
      case MEDIA -> {
        if (v != JsonToken.START_OBJECT) return fail(Problem.BAD_FIELD, "media is not an object");
        return media(p);
      }
      case START -> {
        if (v != JsonToken.START_OBJECT) return fail(Problem.BAD_FIELD, "start is not an object");
        start = true;
        return startObject(p);
      }
      case MARK, DTMF, STOP -> {
        if (v == JsonToken.START_OBJECT) return nested(p);
        p.skipChildren();
      }
      case NAME -> name = text(p, v);
      case DIGIT -> digit = text(p, v);
      case REASON -> reason = text(p, v);
      case CONTENT_TYPE -> contentType = text(p, v);
      case ERROR -> {
        error = v.isScalarValue() ? cut(p.getText()) : "error object";
        p.skipChildren();
      }
      case EXTRA_HEADERS -> {
        if (captureHeaders) extraHeaders(p, v);
        else p.skipChildren();
      }
      default -> other(p, key, v);
    }
    return sequence != Long.MIN_VALUE || fail(Problem.BAD_FIELD, detail);
  }

  /** A top-level field the codecs do not read: kept as a header while headers are captured (Vonage), else skipped. */
  private void other(JsonParser p, String key, JsonToken v) throws IOException {
    if (captureHeaders && v.isScalarValue()) headerMap().put(key, p.getText());
    else p.skipChildren();
  }

  private boolean media(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Field f = Field.of(p.currentName());
      JsonToken v = p.nextToken();
      if (f == Field.PAYLOAD) {
        if (v != JsonToken.VALUE_STRING) return fail(Problem.BAD_FIELD, "media.payload is not a string");
        int n = p.getTextLength();
        if (payload.length < Base64Bytes.maxDecoded(n)) payload = new byte[Base64Bytes.maxDecoded(n) * 2];
        payloadLength = Base64Bytes.decode(p.getTextCharacters(), p.getTextOffset(), n, payload);
        if (payloadLength < 0) return fail(Problem.BAD_BASE64, "media.payload is not valid base64 (" + n + " chars)");
      } else if (f == Field.CHUNK) {
        chunk = number(p, v, "media.chunk");
        if (chunk == Long.MIN_VALUE) return fail(Problem.BAD_FIELD, detail);
      } else if (f == Field.TRACK && v == JsonToken.VALUE_STRING) {
        outboundTrack = matches(p, "outbound") || matches(p, "outbound_track");
      } else {
        p.skipChildren();
      }
    }
    return true;
  }

  private boolean startObject(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Field f = Field.of(p.currentName());
      JsonToken v = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      switch (f) {
        case STREAM_ID -> startStreamId = text(p, v);
        case CALL_ID -> callId = text(p, v);
        case CALL_SESSION -> callSession = text(p, v);
        case ACCOUNT -> accountId = text(p, v);
        case CUSTOM -> custom = stringMap(p, v);
        case FORMAT -> {
          if (v != JsonToken.START_OBJECT) return fail(Problem.BAD_FIELD, "start.mediaFormat is not an object");
          if (!format(p)) return false;
        }
        default -> p.skipChildren();
      }
    }
    return true;
  }

  private boolean format(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Field f = Field.of(p.currentName());
      JsonToken v = p.nextToken();
      if (f == Field.ENCODING) {
        encoding = text(p, v);
      } else if (f == Field.SAMPLE_RATE) {
        sampleRate = number(p, v, "mediaFormat.sampleRate");
      } else if (f == Field.CHANNELS) {
        channels = number(p, v, "mediaFormat.channels");
      } else {
        p.skipChildren();
      }
      if (sampleRate == Long.MIN_VALUE || channels == Long.MIN_VALUE) return fail(Problem.BAD_FIELD, detail);
    }
    return true;
  }

  /** The {@code mark}, {@code dtmf} and {@code stop} objects: their {@code name}, {@code digit}, {@code reason}. */
  private boolean nested(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Field f = Field.of(p.currentName());
      JsonToken v = p.nextToken();
      if (f == Field.NAME) name = text(p, v);
      else if (f == Field.DIGIT) digit = text(p, v);
      else if (f == Field.REASON) reason = text(p, v);
      else p.skipChildren();
    }
    return true;
  }

  private void extraHeaders(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.START_OBJECT) {
      headerMap().putAll(stringMap(p, v));
    } else if (v == JsonToken.VALUE_STRING) {
      // Plivo sends extraHeaders as "k=v,k2=v2" (its XML attribute) and some clients as a JSON-encoded object string.
      String s = p.getText().strip();
      if (s.startsWith("{")) {
        try (JsonParser inner = JSON.createParser(s)) {
          JsonToken t = inner.nextToken();
          headerMap().putAll(stringMap(inner, t));
        } catch (IOException | RuntimeException e) {
          // A garbled header string carries no setup data: the stream itself is still fine.
        }
      } else {
        for (String pair : s.split("[,;]")) {
          int eq = pair.indexOf('=');
          if (eq > 0) headerMap().put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
      }
    } else {
      p.skipChildren();
    }
  }

  private static Map<String, String> stringMap(JsonParser p, JsonToken v) throws IOException {
    Map<String, String> map = new LinkedHashMap<>();
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return map;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken t = p.nextToken();
      if (t.isScalarValue() && t != JsonToken.VALUE_NULL) map.put(k, p.getText());
      else p.skipChildren();
    }
    return map;
  }

  private String eventName(JsonParser p) throws IOException {
    for (String known : knownEvents) if (matches(p, known)) return known;
    return cut(p.getText());
  }

  private static boolean matches(JsonParser p, String s) throws IOException {
    int n = p.getTextLength();
    if (n != s.length()) return false;
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    for (int i = 0; i < n; i++) if (c[off + i] != s.charAt(i)) return false;
    return true;
  }

  private static String sameOrNew(JsonParser p, JsonToken v, String current) throws IOException {
    if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
      p.skipChildren();
      return current;
    }
    return current != null && matches(p, current) ? current : p.getText();
  }

  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
      p.skipChildren();
      return null;
    }
    return p.getText();
  }

  /** A whole number sent as a JSON number or a numeric string; {@code Long.MIN_VALUE} (with a detail) otherwise. */
  private long number(JsonParser p, JsonToken v, String field) throws IOException {
    switch (v) {
      case VALUE_NUMBER_INT -> {
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return (long) p.getDoubleValue();
      }
      case VALUE_NULL -> {
        return -1;
      }
      case VALUE_STRING -> {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int n = p.getTextLength();
        long value = 0;
        for (int i = 0; i < n; i++) {
          char d = c[off + i];
          if (d < '0' || d > '9' || i >= 18) {
            detail = field + "=\"" + cut(p.getText()) + "\" is not a number";
            return Long.MIN_VALUE;
          }
          value = value * 10 + (d - '0');
        }
        if (n == 0) return -1;
        return value;
      }
      default -> {
        p.skipChildren();
        detail = field + " is not a number";
        return Long.MIN_VALUE;
      }
    }
  }

  private static String cut(String s) {
    return s == null || s.length() <= DETAIL_CHARS ? s : s.substring(0, DETAIL_CHARS) + "…";
  }

  private static long errorOffset(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
      return j.getLocation().getCharOffset() >= 0 ? j.getLocation().getCharOffset() : j.getLocation().getByteOffset();
    }
    return -1;
  }

  private boolean fail(Problem p, String why) {
    problem = p;
    detail = why;
    return false;
  }

  private Map<String, String> headerMap() {
    if (headers == null) headers = new LinkedHashMap<>();
    return headers;
  }

  private void reset() {
    event = null;
    sequence = -1;
    chunk = -1;
    outboundTrack = false;
    payloadLength = -1;
    name = null;
    digit = null;
    reason = null;
    error = null;
    start = false;
    startStreamId = null;
    callId = null;
    callSession = null;
    accountId = null;
    encoding = null;
    sampleRate = -1;
    channels = -1;
    custom = null;
    headers = null;
    contentType = null;
    problem = null;
    detail = null;
  }

  /** The event name: one of the known names (same instance) or the text sent; {@code null} when absent. */
  public String event() { return event; }

  public long sequence() { return sequence; }

  /** {@code media.chunk}, else {@code -1}. */
  public long chunk() { return chunk; }

  /** Whether the media frame is the agent's own track echoed back ({@code both_tracks} streams). */
  public boolean outboundTrack() { return outboundTrack; }

  /** The reused buffer holding the decoded {@code media.payload}. */
  public byte[] payload() { return payload; }

  /** Bytes of decoded payload, {@code -1} when the message had none. */
  public int payloadLength() { return payloadLength; }

  /** {@code mark.name} or a top-level {@code name} (Plivo). */
  public String name() { return name; }

  /** {@code dtmf.digit} or a top-level {@code digit} (Vonage). */
  public String digit() { return digit; }

  public String reason() { return reason; }

  public String error() { return error; }

  /** Whether the message had a {@code start} object. */
  public boolean hasStart() { return start; }

  /** The stream id from {@code start}, else from the top level. */
  public String streamId() { return startStreamId != null ? startStreamId : streamId; }

  public String callId() { return callId != null ? callId : callSession; }

  public String accountId() { return accountId; }

  public String encoding() { return encoding; }

  public long sampleRate() { return sampleRate; }

  public long channels() { return channels; }

  /** {@code start.customParameters}, or an empty map. */
  public Map<String, String> customParameters() { return custom == null ? Map.of() : custom; }

  /** Plivo's {@code extra_headers} and, for Vonage, the other top-level scalar fields; empty when not captured. */
  public Map<String, String> headers() { return headers == null ? Map.of() : headers; }

  /** Vonage's {@code content-type}. */
  public String contentType() { return contentType; }

  public Problem problem() { return problem; }

  public String detail() { return detail; }
}
