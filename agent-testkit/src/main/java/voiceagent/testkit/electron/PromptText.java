package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * The emulator's view of a prompt as one canonical text, and token counts over it.
 *
 * <p>Serialization, in request order: each leading {@code system} message, then the tools block, then every other
 * message. A message is {@code <|role|>\n} + its text + {@code \n}; the text is {@code content} when it is a string,
 * the concatenated {@code text} fields when it is an array of parts, and empty when null or absent; an assistant
 * message with {@code tool_calls} appends their compact JSON on its own line. The tools block is
 * {@code <|tools|>\n} + the compact JSON of the {@code tools} array as received + {@code \n} (absent without tools).
 * So the stable part of a chat (system prompt, tools) comes first and an append-only history only ever extends the
 * text, as in the chat templates of real servers.
 *
 * <p>Thread contract: immutable; the JTokkit encodings are thread-safe.
 */
final class PromptText {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private final Encoding encoding;

  private PromptText(Encoding encoding) {
    this.encoding = encoding;
  }

  /** Loads the encoding (reads its ranks: call off the event loop). */
  static PromptText load(String encodingName) {
    EncodingType type = EncodingType.fromName(encodingName).orElseThrow(
        () -> new IllegalArgumentException("tokenEncoding must be cl100k_base or o200k_base, got " + encodingName));
    return new PromptText(REGISTRY.getEncoding(type));
  }

  /** Tokens of the canonical prompt text of {@code request}. */
  int[] promptTokens(JsonNode request) {
    return encoding.encodeOrdinary(serialize(request)).toArray();
  }

  int count(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  /** The first {@code maxTokens} tokens of {@code text}, decoded again. */
  String truncate(String text, int maxTokens) {
    IntArrayList tokens = encoding.encodeOrdinary(text);
    if (tokens.size() <= maxTokens) return text;
    IntArrayList head = new IntArrayList(maxTokens);
    for (int i = 0; i < maxTokens; i++) head.add(tokens.get(i));
    return encoding.decode(head);
  }

  static String serialize(JsonNode request) {
    StringBuilder out = new StringBuilder();
    JsonNode messages = request.path("messages");
    JsonNode tools = request.get("tools");
    boolean toolsWritten = tools == null || !tools.isArray() || tools.isEmpty();
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      if (!toolsWritten && !"system".equals(role)) {
        out.append("<|tools|>\n").append(tools).append('\n');
        toolsWritten = true;
      }
      out.append("<|").append(role).append("|>\n").append(contentText(m.get("content")));
      JsonNode calls = m.get("tool_calls");
      if (calls != null && calls.isArray() && !calls.isEmpty()) out.append('\n').append(calls);
      out.append('\n');
    }
    if (!toolsWritten) out.append("<|tools|>\n").append(tools).append('\n');
    return out.toString();
  }

  /** A message's {@code content} as text: the string, the joined text parts, or "" for null. */
  static String contentText(JsonNode content) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.asText();
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) sb.append(part.path("text").asText(""));
      return sb.toString();
    }
    return content.toString();
  }
}
