package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One request as the {@link ElectronEmulator} received it.
 *
 * <p>Thread contract: immutable. A snapshot: {@link ElectronEmulator#requests()} returns fresh snapshots that show
 * {@code cancelledByClient} once the client has closed the stream early.
 *
 * @param requestId the {@code X-Request-Id} the emulator answered with
 * @param headers request headers, looked up case-insensitively; the {@code Authorization} value is redacted
 * @param body the raw request body
 * @param json the parsed body, or {@code null} when it was not JSON
 * @param receivedNanos {@link ElectronEmulatorOptions#clock()} time when the body had fully arrived
 * @param cancelledByClient whether the client closed the connection before the response ended
 */
public record RecordedRequest(
    String requestId,
    Map<String, String> headers,
    String body,
    JsonNode json,
    long receivedNanos,
    boolean cancelledByClient) {

  /** The text of the last message with role {@code user}, or {@code ""}. */
  public String lastUserText() {
    JsonNode messages = json == null ? null : json.get("messages");
    if (messages == null || !messages.isArray()) return "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText())) return PromptText.contentText(m.get("content"));
    }
    return "";
  }
}
