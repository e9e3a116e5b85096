package voiceagent.audio.internal.lightning;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import voiceagent.audio.LightningConfig;
import voiceagent.common.AgentException;
import voiceagent.common.Base64Bytes;
import voiceagent.common.ErrorKind;

/**
 * Lightning request bodies and frame fields, in one place. Every WebSocket message repeats the whole configuration
 * because the service requires {@code voice_id} and {@code text} on each one.
 *
 * <p>Thread contract: stateless.
 */
final class LightningWire {
  static final String SERVICE = "lightning";
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** An audio frame of the WebSocket ({@code status: chunk}): whose it is and its decoded audio, owned by the caller. */
  record Chunk(String externalRequestId, byte[] audio) {}

  private LightningWire() {}

  /** One WebSocket text message of a synthesis. */
  static JsonObject streamMessage(LightningConfig c, int sampleRate, String requestId, String text, boolean last) {
    return common(c, sampleRate, requestId, text)
        .put("word_timestamps", c.wordTimestamps())
        .put("continue", !last)
        .put("flush", last)
        .put("max_buffer_flush_ms", c.maxBufferFlushMillis())
        .put("complete_backoff_ms", c.completeBackoffMillis());
  }

  /** The HTTP and SSE body: raw PCM at {@code sampleRate}. */
  static JsonObject httpBody(LightningConfig c, int sampleRate, String requestId, String text) {
    return common(c, sampleRate, requestId, text).put("output_format", "pcm");
  }

  private static JsonObject common(LightningConfig c, int sampleRate, String requestId, String text) {
    JsonObject o = new JsonObject()
        .put("voice_id", c.voiceId())
        .put("model", c.model())
        .put("language", c.language())
        .put("sample_rate", sampleRate)
        .put("speed", c.speed())
        .put("text", text);
    if (requestId != null) o.put("request_id", requestId);
    return o;
  }

  /** Checks a client request id against the service's rule. */
  static String requireRequestId(String requestId) {
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, SERVICE,
          "request_id=" + requestId + ": expected 1..128 characters of [A-Za-z0-9_.-]");
    }
    return requestId;
  }

  static void requireSampleRate(int sampleRate) {
    if (!LightningConfig.supportsSampleRate(sampleRate)) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, SERVICE,
          "sample_rate=" + sampleRate + ": Lightning produces 8000, 16000, 22050, 24000, 44100 or 48000 Hz");
    }
  }

  /** The request id a frame belongs to: ours ({@code external_request_id}) when the server echoes it. */
  static String externalRequestId(JsonObject frame) {
    return frame.getValue("external_request_id") instanceof String id ? id : null;
  }

  /** Base64 audio of a WebSocket {@code chunk} ({@code data.audio}) or an SSE frame (top-level {@code audio}). */
  static byte[] audio(JsonObject frame) {
    JsonObject data = frame.getJsonObject("data");
    String b64 = data != null && data.getString("audio") != null ? data.getString("audio") : frame.getString("audio");
    if (b64 == null || b64.isEmpty()) return new byte[0];
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new AgentException(ErrorKind.PROTOCOL, SERVICE, "data.audio: not valid base64", e);
    }
  }

  /**
   * Reads a {@code chunk} frame with a streaming parser, fields in any order: the base64 audio is decoded from the
   * parser's characters straight into the one array returned, with no JSON tree and no string of it. Returns null for
   * any other frame, and for malformed JSON, which {@link #parse} then reports; invalid base64 is a protocol error.
   */
  static Chunk chunk(String text) {
    String status = null;
    String externalRequestId = null;
    byte[] audio = null;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "status" -> status = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "external_request_id" -> externalRequestId = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "data" -> {
            if (v != JsonToken.START_OBJECT) {
              p.skipChildren();
              continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              boolean isAudio = p.currentName().equals("audio");
              if (p.nextToken() == JsonToken.VALUE_STRING && isAudio) audio = decode(p);
              else p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      return null;
    }
    if (!"chunk".equals(status)) return null;
    return new Chunk(externalRequestId, audio == null ? new byte[0] : audio);
  }

  /** The current base64 string, decoded into an array of exactly the decoded length (unless it holds whitespace). */
  private static byte[] decode(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    int significant = len;
    while (significant > 0 && chars[off + significant - 1] == '=') significant--;
    int rest = significant % 4;
    byte[] out = new byte[significant / 4 * 3 + (rest == 2 ? 1 : rest == 3 ? 2 : 0)];
    int n = Base64Bytes.decode(chars, off, len, out);
    if (n < 0) throw new AgentException(ErrorKind.PROTOCOL, SERVICE, "data.audio: not valid base64");
    return n == out.length ? out : Arrays.copyOf(out, n); // whitespace inside: rare, and only then a copy
  }

  /** Parses one server frame; malformed JSON is a protocol error. */
  static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw new AgentException(ErrorKind.PROTOCOL, SERVICE, "frame is not a JSON object: "
          + text.substring(0, Math.min(80, text.length())), e);
    }
  }
}
