package voiceagent.testkit.electron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's default answer when nothing is queued: a small deterministic model, so that a chat against the
 * emulator reads sensibly. Rules, first match wins:
 * <ol>
 *   <li>The last message is a {@code tool} message: "Here is what I found: " and the results of the trailing tool
 *       messages (a JSON object result as {@code key: value} pairs), joined with "; ", then ".".
 *   <li>Tools are offered, {@code tool_choice} is not {@code "none"}, and the last user text contains a tool's
 *       keyword — its name split at {@code _} or camel case, minus verbs such as get, lookup, find (so
 *       {@code get_weather} has the keyword "weather") — and every required string parameter can be filled with
 *       the last run of capitalised words of the user text that does not start a sentence ("in New York?" gives
 *       "New York"):
 *       "Let me check that." then one call per matching tool (parallel calls), ids {@code call_<request>_<n>}.
 *   <li>Otherwise "You said: " + the user text (trailing punctuation dropped) + ". How can I help you further?"
 * </ol>
 * Text replies honour {@code stop} (cut before the first stop string, finish {@code stop}) and {@code max_tokens}
 * (cut to that many tokens, finish {@code length}).
 *
 * <p>Thread contract: immutable.
 */
final class RuleBasedModel implements Function<RecordedRequest, ElectronReply> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> VERBS =
      Set.of("get", "set", "lookup", "look", "up", "find", "fetch", "check", "list", "search", "query", "do", "current");
  private static final Pattern NAME_WORDS = Pattern.compile("[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])");

  private final PromptText tokens;

  RuleBasedModel(PromptText tokens) {
    this.tokens = tokens;
  }

  @Override
  public ElectronReply apply(RecordedRequest request) {
    JsonNode body = request.json();
    JsonNode messages = body.path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    if ("tool".equals(last.path("role").asText())) return textReply(body, toolSummary(messages));
    String user = request.lastUserText().strip();
    List<ElectronReplyBuilder.ToolCall> calls = matchingCalls(body, user, request.requestId());
    if (!calls.isEmpty()) {
      ElectronReplyBuilder b = ElectronReply.builder().text("Let me check that.");
      calls.forEach(c -> b.toolCall(c.id(), c.name(), c.arguments()));
      return b.build();
    }
    return textReply(body, "You said: " + user.replaceAll("[.!?]+$", "") + ". How can I help you further?");
  }

  private ElectronReply textReply(JsonNode body, String text) {
    String finish = "stop";
    JsonNode stop = body.get("stop");
    List<String> stops = new ArrayList<>();
    if (stop != null && stop.isTextual()) stops.add(stop.asText());
    if (stop != null && stop.isArray()) stop.forEach(s -> stops.add(s.asText()));
    for (String s : stops) {
      int at = s.isEmpty() ? -1 : text.indexOf(s);
      if (at >= 0) text = text.substring(0, at);
    }
    int maxTokens = body.path("max_tokens").asInt(0);
    if (maxTokens > 0 && tokens.count(text) > maxTokens) {
      text = tokens.truncate(text, maxTokens);
      finish = "length";
    }
    return ElectronReply.builder().text(text).finishReason(finish).build();
  }

  private static String toolSummary(JsonNode messages) {
    List<String> results = new ArrayList<>();
    for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).path("role").asText()); i--) {
      results.addFirst(resultText(PromptText.contentText(messages.get(i).get("content"))));
    }
    return "Here is what I found: " + String.join("; ", results) + ".";
  }

  private static String resultText(String content) {
    try {
      JsonNode node = MAPPER.readTree(content);
      if (node != null && node.isObject()) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          pairs.add(e.getKey() + ": " + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue()));
        }
        return String.join(", ", pairs);
      }
    } catch (JsonProcessingException notJson) {
      // a plain-text result is quoted as it is
    }
    return content.strip();
  }

  private static List<ElectronReplyBuilder.ToolCall> matchingCalls(JsonNode body, String user, String requestId) {
    List<ElectronReplyBuilder.ToolCall> out = new ArrayList<>();
    JsonNode tools = body.get("tools");
    if (tools == null || !tools.isArray() || "none".equals(body.path("tool_choice").asText())) return out;
    String lower = user.toLowerCase(Locale.ROOT);
    String argument = lastCapitalised(user);
    for (JsonNode tool : tools) {
      JsonNode function = tool.path("function");
      String name = function.path("name").asText();
      if (name.isEmpty() || !mentions(lower, name)) continue;
      ObjectNode args = arguments(function.path("parameters"), argument);
      if (args == null) continue;
      out.add(new ElectronReplyBuilder.ToolCall(
          "call_" + requestId.substring(0, 8) + "_" + (out.size() + 1), name, args.toString()));
    }
    return out;
  }

  private static boolean mentions(String lowerText, String toolName) {
    Matcher m = NAME_WORDS.matcher(toolName);
    while (m.find()) {
      String word = m.group().toLowerCase(Locale.ROOT);
      if (!VERBS.contains(word) && lowerText.contains(word)) return true;
    }
    return false;
  }

  /** Every required string parameter set to {@code argument}; null when one is required and there is none. */
  private static ObjectNode arguments(JsonNode schema, String argument) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    JsonNode required = schema.path("required");
    for (JsonNode r : required) {
      JsonNode type = schema.path("properties").path(r.asText()).path("type");
      if (!"string".equals(type.asText())) continue;
      if (argument == null) return null;
      args.put(r.asText(), argument);
    }
    return args;
  }

  private static String lastCapitalised(String text) {
    String last = null;
    boolean sentenceStart = true;
    boolean inName = false;
    for (String raw : text.split("\\s+")) {
      String word = raw.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
      boolean name = !sentenceStart && word.length() > 1 && Character.isUpperCase(word.charAt(0));
      if (name) last = inName ? last + " " + word : word;
      inName = name && !raw.matches(".*[,;:.!?]$");
      sentenceStart = raw.matches(".*[.!?]$");
    }
    return last;
  }
}
