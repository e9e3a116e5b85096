package voiceagent.audio.internal.pulse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import voiceagent.audio.PulseEvent;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Parses Pulse server frames into {@link Inbound} values, tolerating every variant the protocol reference lists:
 * frames without {@code type}, {@code transcription} instead of {@code transcript}, missing booleans, speaker as
 * number or text, three error shapes, and unknown types.
 *
 * <p>Thread contract: stateless and thread-safe.
 */
public final class PulseFrames {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SERVICE = "pulse";

  private PulseFrames() {}

  /** A parsed server frame. */
  public sealed interface Inbound {
    /** {@code sessionId} is the frame's {@code session_id} or {@code null}. */
    record Event(PulseEvent event, String sessionId) implements Inbound {}

    record Error(AgentException error) implements Inbound {}

    /** A frame without meaning for the client (unknown type, empty partial); {@code reason} is for the log. */
    record Ignored(String reason) implements Inbound {}
  }

  /** Parses {@code text}; times are shifted by {@code offsetSeconds} (audio sent before this socket's first byte). */
  public static Inbound parse(String text, double offsetSeconds) {
    JsonNode f;
    try {
      f = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Inbound.Error(new AgentException(ErrorKind.PROTOCOL, SERVICE, "frame is not JSON", false, null, null,
          null, e));
    }
    if (f == null || !f.isObject()) return new Inbound.Ignored("not an object");
    String type = f.path("type").asText("");
    if (type.equals("error") || f.path("status").asText("").equals("error") || f.path("error").isObject()) {
      return new Inbound.Error(error(f));
    }
    String session = textOrNull(f.get("session_id"));
    return switch (type) {
      case "", "transcription", "transcript" -> transcription(f, offsetSeconds, session);
      case "speech_started" -> new Inbound.Event(
          new PulseEvent.SpeechStarted(f.path("timestamp").asDouble(0) + offsetSeconds), session);
      case "speech_ended" -> new Inbound.Event(
          new PulseEvent.SpeechEnded(f.path("timestamp").asDouble(0) + offsetSeconds), session);
      default -> new Inbound.Ignored("unknown type " + type);
    };
  }

  private static Inbound transcription(JsonNode f, double offset, String session) {
    String text = textOrNull(f.get("transcript"));
    if (text == null) text = textOrNull(f.get("transcription"));
    if (text == null) text = "";
    boolean isFinal = f.path("is_final").asBoolean(false);
    boolean isLast = f.path("is_last").asBoolean(false);
    List<PulseEvent.Word> words = words(f.get("words"), offset);
    if (isFinal || isLast) {
      String language = textOrNull(f.get("language"));
      if (language == null && f.path("languages").isArray() && !f.path("languages").isEmpty()) {
        language = f.path("languages").get(0).asText();
      }
      return new Inbound.Event(new PulseEvent.Final(text.strip(), words, f.path("from_finalize").asBoolean(false),
          isLast, language), session);
    }
    // An empty partial carries nothing to show (VAD or housekeeping frames); a final is kept even when empty,
    // because it answers a finalize or close_stream.
    if (text.isBlank()) return new Inbound.Ignored("empty partial");
    return new Inbound.Event(new PulseEvent.Partial(text.strip(), words), session);
  }

  private static List<PulseEvent.Word> words(JsonNode array, double offset) {
    if (array == null || !array.isArray()) return List.of();
    List<PulseEvent.Word> words = new ArrayList<>(array.size());
    for (JsonNode w : array) {
      String word = textOrNull(w.get("word"));
      if (word == null) continue;
      JsonNode confidence = w.get("confidence");
      words.add(new PulseEvent.Word(word, w.path("start").asDouble(0) + offset, w.path("end").asDouble(0) + offset,
          confidence != null && confidence.isNumber() ? confidence.asDouble() : Double.NaN,
          textOrNull(w.get("speaker"))));
    }
    return words;
  }

  private static AgentException error(JsonNode f) {
    JsonNode nested = f.get("error");
    boolean object = nested != null && nested.isObject();
    String message = object ? textOrNull(nested.get("message")) : textOrNull(nested);
    if (message == null) message = textOrNull(f.get("message"));
    String code = textOrNull(f.get("error_code"));
    if (code == null && object) code = textOrNull(nested.get("code"));
    if (code == null) code = textOrNull(f.get("code"));
    // A region/language mismatch or a rejected parameter will fail the same way on a new socket.
    boolean request = code != null && (code.contains("NOT_ENABLED") || code.contains("INVALID"));
    return new AgentException(request ? ErrorKind.INVALID_REQUEST : ErrorKind.SERVER, SERVICE,
        "server error frame: " + (message == null ? "(no message)" : message), !request, null, code, null, null);
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
  }
}
