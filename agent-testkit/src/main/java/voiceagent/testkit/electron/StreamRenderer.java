package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import voiceagent.testkit.electron.DeltaPlan.Delta;
import voiceagent.testkit.electron.ElectronReplyBuilder.Role;
import voiceagent.testkit.electron.ElectronReplyBuilder.Usage;

/**
 * Turns a scripted stream into the exact SSE text the emulator sends for one request (or, for
 * {@code stream: false}, one {@code chat.completion} object).
 *
 * <p>Thread contract: stateless.
 */
final class StreamRenderer {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** One SSE event as sent; {@code data} marks events counted by {@code cutAfterChunks}/{@code stallAfterChunks}. */
  record Frame(String text, boolean data) {}

  /** What is known about the request being answered. */
  record Request(String requestId, long created, String model, int promptTokens, int cachedTokens,
      boolean includeUsage, PromptText tokens) {}

  private final ElectronReplyBuilder s;
  private final Request r;
  private final String eol;
  private final int completionTokens;
  private final List<Frame> frames = new ArrayList<>();
  private int chunkSeq;

  private StreamRenderer(ElectronReplyBuilder s, Request r) {
    this.s = s;
    this.r = r;
    this.eol = s.crlf ? "\r\n" : "\n";
    this.completionTokens = s.usageOverride != null ? s.usageOverride[1] : countCompletion(s, r.tokens());
  }

  static List<Frame> render(ElectronReplyBuilder script, Request request) {
    return new StreamRenderer(script, request).render();
  }

  /** Completion tokens: reasoning, all content (think tags included) and every call's arguments. */
  static int countCompletion(ElectronReplyBuilder s, PromptText tokens) {
    int n = tokens.count(s.reasoningText) + tokens.count(String.join("", contentFragments(s)));
    if (s.errorAfterText == null) for (var call : s.toolCalls) n += tokens.count(call.arguments());
    return n;
  }

  /** Everything the script sends as {@code content}: think block, harmony markup and text, in order. */
  static List<String> contentFragments(ElectronReplyBuilder s) {
    List<String> content = new ArrayList<>();
    if (s.thought != null) content.addAll(TextFragments.thinkBlock(s.thought));
    if (s.harmonyAnalysis != null) content.addAll(TextFragments.harmonyHead(s.harmonyAnalysis));
    content.addAll(s.textFragments);
    if (s.harmonyAnalysis != null) content.addAll(TextFragments.harmonyTail());
    return content;
  }

  private List<Frame> render() {
    if (s.commentLines) frames.add(new Frame(": processing" + eol + eol, false));
    if (s.emptyDataLine) frames.add(new Frame("data:" + (s.noSpaceAfterData ? "" : " ") + eol + eol, false));
    if (s.leadingEmptyChoicesChunk) {
      ObjectNode c = chunk();
      c.putArray("choices");
      c.putArray("prompt_filter_results").addObject().put("prompt_index", 0).putObject("content_filter_results");
      if (usage() == Usage.EVERY_CHUNK) c.set("usage", usageNode(0));
      data(c.toString());
    }
    List<Delta> deltas = DeltaPlan.deltas(s, s.errorAfterText == null);
    if (s.role != Role.NEVER && deltas.isEmpty() && s.errorAfterText == null) {
      deltas = List.of(new Delta(JSON.objectNode().put("content", ""), ""));
    }
    String finish = s.finishReason != null ? s.finishReason : s.toolCalls.isEmpty() ? "stop" : "tool_calls";
    int emitted = 0;
    boolean paddingDone = s.paddingChars <= 0;
    for (int i = 0; i < deltas.size(); i++) {
      Delta d = deltas.get(i);
      emitted = Math.min(completionTokens, emitted + r.tokens().count(d.text()));
      boolean last = i == deltas.size() - 1;
      boolean finishHere = last && s.finishOnLastChunk && !s.noFinishReason && s.errorAfterText == null;
      ObjectNode c = chunk();
      ArrayNode choices = c.putArray("choices");
      choices.add(choice(withRole(d.node(), i == 0), finishHere ? finish : null));
      if (i == 0 && s.extraChoiceText != null) {
        choices.add(choice(JSON.objectNode().put("role", "assistant").put("content", s.extraChoiceText), null)
            .put("index", 1));
      }
      if (!paddingDone && d.node().has("content")) {
        c.put("x_padding", "x".repeat(s.paddingChars));
        paddingDone = true;
      }
      Usage u = usage();
      if (u == Usage.EVERY_CHUNK) c.set("usage", usageNode(finishHere ? completionTokens : emitted));
      else if (finishHere && u == Usage.IN_FINISH_CHUNK) c.set("usage", usageNode(completionTokens));
      else if (s.usageNullOnChunks) c.putNull("usage");
      data(c.toString());
    }
    if (s.errorAfterText != null) {
      ObjectNode error = JSON.objectNode();
      error.putObject("error").put("message", s.errorAfterText).put("type", "server_error")
          .put("code", "stream_error").put("request_id", r.requestId());
      frames.add(new Frame((s.errorAsEvent ? "event: error" + eol : "") + dataLine(error.toString()), true));
      return frames;
    }
    if (!s.noFinishReason && !s.finishOnLastChunk) {
      int times = s.finishReasonRepeated ? 2 : 1;
      for (int i = 0; i < times; i++) {
        ObjectNode c = chunk();
        c.putArray("choices").add(choice(s.role == Role.EVERY_DELTA ? withRole(JSON.objectNode(), true)
            : JSON.objectNode(), finish));
        Usage u = usage();
        if (u == Usage.EVERY_CHUNK || (u == Usage.IN_FINISH_CHUNK && i == 0)) c.set("usage", usageNode(completionTokens));
        else if (s.usageNullOnChunks) c.putNull("usage");
        data(c.toString());
      }
    }
    switch (usage()) {
      case SEPARATE, SEPARATE_CHOICES_NULL, SEPARATE_NO_CHOICES -> {
        ObjectNode c = chunk();
        if (usage() == Usage.SEPARATE) c.putArray("choices");
        else if (usage() == Usage.SEPARATE_CHOICES_NULL) c.putNull("choices");
        c.set("usage", usageNode(completionTokens));
        data(c.toString());
      }
      case IN_FINISH_CHUNK, EVERY_CHUNK, NONE -> { }
    }
    if (s.commentLines) frames.add(new Frame(": ping" + eol + eol, false));
    if (!s.noDone) data("[DONE]");
    return frames;
  }

  private Usage usage() {
    if (s.usage != null) return s.usage;
    return r.includeUsage() ? Usage.SEPARATE : Usage.NONE;
  }

  private ObjectNode chunk() {
    ObjectNode c = JSON.objectNode();
    int seq = chunkSeq++;
    if (s.bareChunks) return c;
    c.put("id", "chatcmpl-" + r.requestId() + (s.varyingChunkIds ? "-" + seq : ""));
    c.put("object", "chat.completion.chunk");
    c.put("created", r.created());
    c.put("model", s.model != null ? s.model : r.model());
    return c;
  }

  private ObjectNode withRole(ObjectNode delta, boolean first) {
    boolean put = s.role == Role.EVERY_DELTA || (s.role == Role.ONCE && first);
    if (!put) return delta;
    ObjectNode d = JSON.objectNode().put("role", "assistant");
    d.setAll(delta);
    return d;
  }

  private static ObjectNode choice(ObjectNode delta, String finishReason) {
    ObjectNode choice = JSON.objectNode().put("index", 0);
    choice.set("delta", delta);
    choice.put("finish_reason", finishReason);
    return choice;
  }

  /** Usage with {@code completion} tokens so far, the cache hit placed as scripted. */
  ObjectNode usageNode(int completion) {
    int prompt = s.usageOverride != null ? s.usageOverride[0] : r.promptTokens();
    int cached = s.usageOverride != null ? s.usageOverride[2] : r.cachedTokens();
    ObjectNode u = JSON.objectNode()
        .put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    switch (s.cachedTokensAt) {
      case DETAILS -> u.putObject("prompt_tokens_details").put("cached_tokens", cached);
      case TOP_LEVEL -> u.put("cached_tokens", cached);
      case PROMPT_CACHE_HIT -> u.put("prompt_cache_hit_tokens", cached).put("prompt_cache_miss_tokens", prompt - cached);
    }
    return u;
  }

  private void data(String json) {
    frames.add(new Frame((s.eventLines ? "event: message" + eol : "") + dataLine(json), true));
  }

  private String dataLine(String payload) {
    return "data:" + (s.noSpaceAfterData ? "" : " ") + payload + eol + eol;
  }

  /** The same script as one {@code chat.completion} object, for {@code stream: false}. */
  static String completion(ElectronReplyBuilder s, Request r) {
    StreamRenderer renderer = new StreamRenderer(s, r);
    ObjectNode c = renderer.chunk().put("object", "chat.completion");
    ObjectNode message = JSON.objectNode().put("role", "assistant");
    String content = String.join("", contentFragments(s));
    if (content.isEmpty() && !s.toolCalls.isEmpty()) message.putNull("content"); else message.put("content", content);
    if (!s.toolCalls.isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (var call : s.toolCalls) {
        ObjectNode node = calls.addObject().put("id", call.id()).put("type", "function");
        node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
    ObjectNode choice = JSON.objectNode().put("index", 0);
    choice.set("message", message);
    choice.put("finish_reason", s.finishReason != null ? s.finishReason : s.toolCalls.isEmpty() ? "stop" : "tool_calls");
    c.putArray("choices").add(choice);
    c.set("usage", renderer.usageNode(renderer.completionTokens));
    return c.toString();
  }
}
