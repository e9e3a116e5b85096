package voiceagent.testkit.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import voiceagent.audio.AudioFormat;

/**
 * The carrier side of each media-stream protocol (telephony.md): the messages a carrier sends (connected, start,
 * media, mark echoes, clear acknowledgements, DTMF, stop) and a strict reader of what the server sends back, which
 * reports what the real carrier would reject (Twilio: any extra field; Vonage: frames that are not exactly 20 ms;
 * Exotel: payloads that are not a multiple of 320 bytes; Plivo: a {@code playAudio} format that differs from the
 * stream's).
 *
 * <p>Thread contract: immutable.
 */
final class CallerWire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CallerOptions options;
  private final CallerProtocol protocol;

  CallerWire(CallerOptions options) {
    this.options = options;
    this.protocol = options.protocol();
  }

  /** One outbound message: JSON text, or binary audio (Vonage). */
  record Out(String text, byte[] binary) {}

  /** What one server message was; {@code audio} is null when only its length was read ({@link #scanText}). */
  record In(Kind kind, byte[] audio, int audioBytes, String name, String violation) {
    enum Kind { MEDIA, MARK, CLEAR, OTHER }

    static In media(byte[] audio) {
      return new In(Kind.MEDIA, audio, audio.length, null, null);
    }
  }

  private static final String EVENT = "\"event\":\"";
  private static final String PAYLOAD = "\"payload\":\"";
  private static final String NAME = "\"name\":\"";

  /**
   * Reads a JSON server message by scanning for the event, the payload's length and the mark's name, without parsing
   * or checking fields: for load tests, where a JSON tree and a base64 decode per frame would make the driver the
   * bottleneck. Returns {@code null} when the scan does not recognise the message; {@link #readText} then decides.
   */
  In scanText(String text) {
    String event = stringAfter(text, EVENT);
    if (event == null) return null;
    switch (event) {
      case "media", "playAudio" -> {
        int start = text.indexOf(PAYLOAD);
        int end = start < 0 ? -1 : text.indexOf('"', start + PAYLOAD.length());
        if (end < 0) return null;
        start += PAYLOAD.length();
        int chars = end - start;
        int pad = chars > 0 && text.charAt(end - 1) == '=' ? (chars > 1 && text.charAt(end - 2) == '=' ? 2 : 1) : 0;
        return new In(In.Kind.MEDIA, null, chars / 4 * 3 - pad, null, null);
      }
      case "mark", "checkpoint" -> {
        String name = stringAfter(text, NAME);
        return name == null ? null : new In(In.Kind.MARK, null, 0, name, null);
      }
      case "clear", "clearAudio" -> {
        return new In(In.Kind.CLEAR, null, 0, null, null);
      }
      default -> {
        return null;
      }
    }
  }

  /** The characters after {@code key} up to the next quote (no escapes expected), or null. */
  private static String stringAfter(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) return null;
    int from = at + key.length();
    int end = text.indexOf('"', from);
    return end < 0 || text.lastIndexOf('\\', end) >= from ? null : text.substring(from, end);
  }

  /** The messages a carrier sends when the stream opens, in order. */
  List<String> opening() {
    ObjectNode custom = JSON.valueToTree(options.customParameters());
    AudioFormat f = options.format();
    String sid = options.streamId();
    String call = options.callId();
    return switch (protocol) {
      case TWILIO -> List.of("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}",
          "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":" + q(sid) + ",\"start\":{\"streamSid\":" + q(sid)
              + ",\"accountSid\":\"AC-test\",\"callSid\":" + q(call) + ",\"tracks\":[\"inbound\"],\"customParameters\":"
              + custom + ",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}");
      case TELNYX -> List.of("{\"event\":\"connected\",\"version\":\"1.0.0\"}",
          "{\"event\":\"start\",\"sequence_number\":\"1\",\"stream_id\":" + q(sid) + ",\"start\":{\"user_id\":\"u-test\","
              + "\"call_control_id\":" + q(call) + ",\"call_session_id\":\"cs-test\",\"from\":\"+15550001\",\"to\":"
              + "\"+15550002\",\"custom_parameters\":" + custom + ",\"media_format\":{\"encoding\":" + q(telnyxCodec(f))
              + ",\"sample_rate\":" + f.sampleRate() + ",\"channels\":1}}}");
      case PLIVO -> List.of("{\"event\":\"start\",\"sequenceNumber\":0,\"start\":{\"callId\":" + q(call)
          + ",\"streamId\":" + q(sid) + ",\"accountId\":\"MA-test\",\"tracks\":[\"inbound\"],\"mediaFormat\":{"
          + "\"encoding\":" + q(plivoType(f)) + ",\"sampleRate\":" + f.sampleRate() + "}},\"extra_headers\":"
          + q(keyValues(options.customParameters())) + "}");
      case VONAGE -> {
        ObjectNode connected = JSON.createObjectNode().put("event", "websocket:connected")
            .put("content-type", "audio/l16;rate=" + f.sampleRate());
        options.customParameters().forEach(connected::put);
        yield List.of(connected.toString());
      }
      case EXOTEL -> List.of("{\"event\":\"connected\"}",
          "{\"event\":\"start\",\"sequence_number\":\"1\",\"stream_sid\":" + q(sid) + ",\"start\":{\"stream_sid\":" + q(sid)
              + ",\"call_sid\":" + q(call) + ",\"account_sid\":\"acc-test\",\"from\":\"0801\",\"to\":\"0802\","
              + "\"custom_parameters\":" + custom + ",\"media_format\":{\"encoding\":"
              + q(f.encoding() == AudioFormat.Encoding.MULAW ? "audio/x-mulaw" : "audio/x-raw") + ",\"sample_rate\":\""
              + f.sampleRate() + "\",\"bit_rate\":\"16\"}}}");
    };
  }

  /** One frame of caller audio; {@code seq} counts messages, {@code chunk} media frames from 1. */
  Out media(byte[] audio, long seq, long chunk, long timestampMillis) {
    return media(CallerFrame.of(audio), seq, chunk, timestampMillis);
  }

  /** As {@link #media(byte[], long, long, long)} with the payload encoded once beforehand. */
  Out media(CallerFrame frame, long seq, long chunk, long timestampMillis) {
    byte[] audio = frame.audio();
    String b64 = frame.base64();
    String sid = options.streamId();
    return switch (protocol) {
      case TWILIO -> text("{\"event\":\"media\",\"sequenceNumber\":\"" + seq + "\",\"streamSid\":" + q(sid)
          + ",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + timestampMillis
          + "\",\"payload\":\"" + b64 + "\"}}");
      case TELNYX -> text("{\"event\":\"media\",\"sequence_number\":\"" + seq + "\",\"stream_id\":" + q(sid)
          + ",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + timestampMillis
          + "\",\"payload\":\"" + b64 + "\"}}");
      case PLIVO -> text("{\"event\":\"media\",\"sequenceNumber\":" + seq + ",\"streamId\":" + q(sid)
          + ",\"media\":{\"track\":\"inbound\",\"timestamp\":\"" + timestampMillis + "\",\"chunk\":" + chunk
          + ",\"payload\":\"" + b64 + "\"},\"extra_headers\":" + q(keyValues(options.customParameters())) + "}");
      case VONAGE -> new Out(null, audio);
      case EXOTEL -> text("{\"event\":\"media\",\"sequence_number\":\"" + seq + "\",\"stream_sid\":" + q(sid)
          + ",\"media\":{\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + timestampMillis + "\",\"payload\":\"" + b64
          + "\"}}");
    };
  }

  /** The echo of mark {@code name}; {@code null} for Vonage (no marks). */
  String markEcho(String name, long seq) {
    String sid = options.streamId();
    return switch (protocol) {
      case TWILIO -> "{\"event\":\"mark\",\"sequenceNumber\":\"" + seq + "\",\"streamSid\":" + q(sid)
          + ",\"mark\":{\"name\":" + q(name) + "}}";
      case TELNYX -> "{\"event\":\"mark\",\"sequence_number\":\"" + seq + "\",\"stream_id\":" + q(sid)
          + ",\"mark\":{\"name\":" + q(name) + "}}";
      case PLIVO -> "{\"event\":\"playedStream\",\"sequenceNumber\":" + seq + ",\"streamId\":" + q(sid) + ",\"name\":"
          + q(name) + "}";
      case VONAGE -> null;
      case EXOTEL -> "{\"event\":\"mark\",\"sequence_number\":\"" + seq + "\",\"stream_sid\":" + q(sid)
          + ",\"mark\":{\"name\":" + q(name) + "}}";
    };
  }

  /** The explicit clear acknowledgement (Plivo, Vonage); {@code null} where the flushed marks are the answer. */
  String clearAck(long seq) {
    return switch (protocol) {
      case PLIVO -> "{\"event\":\"clearedAudio\",\"sequenceNumber\":" + seq + ",\"streamId\":" + q(options.streamId())
          + "}";
      case VONAGE -> "{\"event\":\"websocket:cleared\"}";
      default -> null;
    };
  }

  /** Whether marks pending at a clear are echoed at once (Twilio, Telnyx; Exotel treated alike). */
  boolean clearFlushesMarks() {
    return protocol == CallerProtocol.TWILIO || protocol == CallerProtocol.TELNYX || protocol == CallerProtocol.EXOTEL;
  }

  String dtmf(String digit, long seq) {
    String sid = options.streamId();
    return switch (protocol) {
      case TWILIO -> "{\"event\":\"dtmf\",\"sequenceNumber\":\"" + seq + "\",\"streamSid\":" + q(sid)
          + ",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":" + q(digit) + "}}";
      case TELNYX -> "{\"event\":\"dtmf\",\"sequence_number\":\"" + seq + "\",\"stream_id\":" + q(sid)
          + ",\"dtmf\":{\"digit\":" + q(digit) + "}}";
      case PLIVO -> "{\"event\":\"dtmf\",\"sequenceNumber\":" + seq + ",\"streamId\":" + q(sid)
          + ",\"dtmf\":{\"track\":\"inbound\",\"digit\":" + q(digit) + ",\"timestamp\":\"0\"}}";
      case VONAGE -> "{\"event\":\"websocket:dtmf\",\"digit\":" + q(digit) + ",\"duration\":100}";
      case EXOTEL -> "{\"event\":\"dtmf\",\"sequence_number\":\"" + seq + "\",\"stream_sid\":" + q(sid)
          + ",\"dtmf\":{\"digit\":" + q(digit) + ",\"duration\":\"100\"}}";
    };
  }

  /** The stop message; {@code null} where the carrier just closes the socket (Plivo, Vonage). */
  String stop(long seq) {
    String sid = options.streamId();
    return switch (protocol) {
      case TWILIO -> "{\"event\":\"stop\",\"sequenceNumber\":\"" + seq + "\",\"streamSid\":" + q(sid)
          + ",\"stop\":{\"accountSid\":\"AC-test\",\"callSid\":" + q(options.callId()) + "}}";
      case TELNYX -> "{\"event\":\"stop\",\"sequence_number\":\"" + seq + "\",\"stream_id\":" + q(sid) + "}";
      case EXOTEL -> "{\"event\":\"stop\",\"sequence_number\":\"" + seq + "\",\"stream_sid\":" + q(sid)
          + ",\"stop\":{\"call_sid\":" + q(options.callId()) + ",\"account_sid\":\"acc-test\",\"reason\":\"callended\"}}";
      case PLIVO, VONAGE -> null;
    };
  }

  /** Reads one binary message from the server. */
  In readBinary(byte[] data) {
    if (protocol != CallerProtocol.VONAGE) return violation("binary frame on a JSON text stream");
    int frame = options.format().sampleRate() / 50 * 2;
    if (data.length != frame) return violation("binary frame of " + data.length + " bytes, not one 20 ms frame (" + frame + ")");
    return In.media(data);
  }

  /** Reads one text message from the server, checking it has exactly the fields the carrier documents. */
  In readText(String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (IOException e) {
      return violation("not JSON");
    }
    if (m == null || !m.isObject()) return violation("not a JSON object");
    if (protocol == CallerProtocol.VONAGE) {
      return "clear".equals(m.path("action").asText()) && m.size() == 1 ? new In(In.Kind.CLEAR, null, 0, null, null)
          : violation("unknown Vonage control message");
    }
    String event = m.path("event").asText();
    String idKey = switch (protocol) {
      case TWILIO -> "streamSid";
      case PLIVO -> "streamId";
      case EXOTEL -> "stream_sid";
      default -> null;
    };
    if (idKey != null && m.has(idKey) && !options.streamId().equals(m.get(idKey).asText())) {
      return violation("wrong " + idKey);
    }
    return switch (protocol) {
      case PLIVO -> readPlivo(m, event);
      default -> readStreamSid(m, event, idKey);
    };
  }

  private In readStreamSid(JsonNode m, String event, String idKey) {
    Set<String> top = idKey == null ? Set.of("event") : Set.of("event", idKey);
    switch (event) {
      case "media" -> {
        String bad = exactly(m, top, "media");
        if (bad == null) bad = exactly(m.path("media"), Set.of(), "payload");
        if (bad != null) return violation(bad);
        byte[] audio = decode(m.path("media").path("payload").asText());
        if (audio == null) return violation("media.payload is not base64");
        if (protocol == CallerProtocol.EXOTEL && audio.length % 320 != 0) {
          return violation("Exotel payload of " + audio.length + " bytes is not a multiple of 320");
        }
        return In.media(audio);
      }
      case "mark" -> {
        String bad = exactly(m, top, "mark");
        if (bad == null) bad = exactly(m.path("mark"), Set.of(), "name");
        return bad != null ? violation(bad) : new In(In.Kind.MARK, null, 0, m.path("mark").path("name").asText(), null);
      }
      case "clear" -> {
        String bad = exactly(m, top);
        return bad != null ? violation(bad) : new In(In.Kind.CLEAR, null, 0, null, null);
      }
      default -> {
        return violation("unknown event " + event);
      }
    }
  }

  private In readPlivo(JsonNode m, String event) {
    switch (event) {
      case "playAudio" -> {
        String bad = exactly(m, Set.of("event"), "media");
        if (bad == null) bad = exactly(m.path("media"), Set.of(), "contentType", "sampleRate", "payload");
        if (bad != null) return violation(bad);
        JsonNode media = m.path("media");
        if (!plivoType(options.format()).equals(media.path("contentType").asText())
            || media.path("sampleRate").asInt() != options.format().sampleRate()) {
          return violation("playAudio format differs from the stream's");
        }
        byte[] audio = decode(media.path("payload").asText());
        return audio == null ? violation("media.payload is not base64") : In.media(audio);
      }
      case "checkpoint" -> {
        String bad = exactly(m, Set.of("event"), "streamId", "name");
        return bad != null ? violation(bad) : new In(In.Kind.MARK, null, 0, m.path("name").asText(), null);
      }
      case "clearAudio" -> {
        String bad = exactly(m, Set.of("event"), "streamId");
        return bad != null ? violation(bad) : new In(In.Kind.CLEAR, null, 0, null, null);
      }
      default -> {
        return violation("unknown event " + event);
      }
    }
  }

  /** Null when {@code node} has exactly the fields {@code base} + {@code more}; else what is extra or missing. */
  private static String exactly(JsonNode node, Set<String> base, String... more) {
    Set<String> want = new TreeSet<>(base);
    want.addAll(List.of(more));
    Set<String> got = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) got.add(it.next());
    return got.equals(want) ? null : "fields " + got + " instead of " + want;
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static In violation(String reason) {
    return new In(In.Kind.OTHER, null, 0, null, reason);
  }

  private static Out text(String s) {
    return new Out(s, null);
  }

  private static String q(String s) {
    return JSON.getNodeFactory().textNode(s).toString();
  }

  private static String telnyxCodec(AudioFormat f) {
    return switch (f.encoding()) {
      case MULAW -> "PCMU";
      case ALAW -> "PCMA";
      default -> "L16";
    };
  }

  private static String plivoType(AudioFormat f) {
    return f.encoding() == AudioFormat.Encoding.MULAW ? "audio/x-mulaw" : "audio/x-l16";
  }

  private static String keyValues(Map<String, String> map) {
    List<String> pairs = new ArrayList<>();
    map.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(",", pairs);
  }
}
