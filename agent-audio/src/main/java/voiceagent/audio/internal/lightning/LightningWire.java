package voiceagent.audio.internal.lightning;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.regex.Pattern;
import voiceagent.audio.LightningConfig;
import voiceagent.common.AgentException;
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
