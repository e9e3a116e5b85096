package voiceagent.core.internal.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import voiceagent.core.ElectronEvent;

/**
 * Reads the events of one chat-completion stream, as decoded by {@link SseDecoder}, and turns them into text, tool
 * calls, usage, finish and error — tolerating the variations of OpenAI-compatible servers: role in every delta or
 * none; {@code content} null, {@code ""} or absent; usage on the finish chunk, on a separate {@code choices: []}
 * chunk, on every chunk (the last one wins) or nowhere; a leading {@code choices: []} chunk that is not usage;
 * reasoning fields (never text); inline {@code <think>} spans; gpt-oss harmony markup in {@code content}, of which only
 * the {@code final} channel is text ({@link HarmonyFilter}); a whole {@code chat.completion} object (its
 * {@code message} read as one delta); errors as an {@code event: error} or as a chunk with a
 * top-level {@code error}; {@code finish_reason} repeated, missing or unknown (reported as {@code stop}).
 *
 * <p>Thread contract: not thread-safe; one per attempt, on the stream's context.
 */
public final class ChunkReader {

  /** Where the reader's findings go. */
  public interface Sink {
    void onEvent(ElectronEvent event);

    /** An error object arrived inside the stream; reading stops. */
    void onStreamError(JsonNode error);
  }

  /** What the caller should do after an event. */
  public enum Outcome { CONTINUE, DONE, ERROR }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sink sink;
  private final ToolCallAssembler tools;
  private final HarmonyFilter harmony = new HarmonyFilter();
  private final ThinkFilter think = new ThinkFilter();
  private boolean sawContent;
  private boolean sawDelta;
  private String finishReason;
  private JsonNode usage;

  public ChunkReader(Sink sink, ToolCallAssembler.IdSource ids) {
    this.sink = sink;
    this.tools = new ToolCallAssembler(
        (index, id, name, args, raw) -> sink.onEvent(new ElectronEvent.ToolCallReady(index, id, name, args, raw)), ids);
  }

  /** Handles one SSE event. */
  public Outcome accept(String eventName, String data) {
    String payload = data.strip();
    if (payload.isEmpty()) return Outcome.CONTINUE;
    if (payload.equals("[DONE]")) return Outcome.DONE;
    JsonNode chunk;
    try {
      chunk = JSON.readTree(payload);
    } catch (Exception e) {
      if ("error".equals(eventName)) return streamError(textError(payload));
      return Outcome.CONTINUE; // a non-JSON keep-alive some proxies send as data; nothing to speak
    }
    if ("error".equals(eventName)) {
      JsonNode error = chunk.get("error");
      return streamError(error != null && error.isObject() ? error : chunk);
    }
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull()) return streamError(error.isObject() ? error : textError(error.asText()));

    JsonNode u = chunk.get("usage");
    if (u != null && u.isObject()) usage = u;
    JsonNode choices = chunk.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        JsonNode index = choice.get("index");
        if (index == null || index.asInt(0) == 0) readChoice(choice);
      }
    }
    return Outcome.CONTINUE;
  }

  /** Whether any text or tool-call delta has been seen (retrying after that would repeat speech). */
  public boolean sawDelta() {
    return sawDelta;
  }

  /** Whether the stream said it finished (a finish reason or a usage report). */
  public boolean sawEnd() {
    return finishReason != null || usage != null;
  }

  /** The stream is over: completes pending tool calls, releases held-back text, reports usage. */
  public void finish() {
    releaseText();
    tools.finish();
    if (usage != null) {
      sink.onEvent(new ElectronEvent.UsageReported(usage.path("prompt_tokens").asInt(0),
          usage.path("completion_tokens").asInt(0), cachedTokens(usage)));
    }
  }

  /** The normalized finish reason, or null when none was sent. */
  public String finishReason() {
    return finishReason;
  }

  private void readChoice(JsonNode choice) {
    JsonNode delta = choice.get("delta");
    if (delta == null || !delta.isObject()) delta = choice.get("message"); // some servers stream whole messages
    if (delta != null && delta.isObject()) {
      JsonNode content = delta.get("content");
      if (content != null && content.isTextual() && !content.asText().isEmpty()) {
        sawContent = true;
        text(content.asText());
      }
      JsonNode refusal = delta.get("refusal");
      if (!sawContent && refusal != null && refusal.isTextual() && !refusal.asText().isEmpty()) text(refusal.asText());
      JsonNode calls = delta.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          sawDelta = true;
          tools.accept(call);
        }
      }
    }
    JsonNode reason = choice.get("finish_reason");
    if (reason != null && reason.isTextual() && !reason.asText().isEmpty()) finishReason = normalize(reason.asText());
  }

  private void text(String fragment) {
    sawDelta = true;
    String speakable = think.accept(harmony.accept(fragment));
    if (!speakable.isEmpty()) sink.onEvent(new ElectronEvent.TextDelta(speakable));
  }

  /**
   * Emits text held back because it might have started a tag (a trailing {@code "<"}): the stream ended or broke,
   * so it was text. What was received before an error is reported, as everything else already was.
   */
  public void releaseText() {
    String tail = think.accept(harmony.finish()) + think.finish();
    if (!tail.isEmpty()) sink.onEvent(new ElectronEvent.TextDelta(tail));
  }

  private Outcome streamError(JsonNode error) {
    releaseText();
    sink.onStreamError(error);
    return Outcome.ERROR;
  }

  private static ObjectNode textError(String message) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("message", message);
    return e;
  }

  static int cachedTokens(JsonNode usage) {
    JsonNode details = usage.path("prompt_tokens_details").get("cached_tokens");
    if (details != null && details.canConvertToInt()) return details.asInt();
    JsonNode top = usage.get("cached_tokens");
    if (top != null && top.canConvertToInt()) return top.asInt();
    JsonNode hit = usage.get("prompt_cache_hit_tokens");
    if (hit != null && hit.canConvertToInt()) return hit.asInt();
    return 0;
  }

  private static String normalize(String reason) {
    return switch (reason) {
      case "stop", "length", "tool_calls", "content_filter" -> reason;
      case "function_call" -> "tool_calls";
      default -> "stop";
    };
  }
}
