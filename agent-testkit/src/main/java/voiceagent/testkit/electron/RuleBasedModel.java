package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's default answer when nothing is queued: a small deterministic model that holds a short phone
 * conversation with whatever tools the request offers (the weather agent's, in the demo). It never repeats the
 * caller's words back. Rules, first match wins:
 * <ol>
 *   <li>The last message is a {@code tool} message: one sentence per trailing tool result, from its content (see
 *       {@link ToolResultSpeech}); the result of {@value #END_CALL} is not spoken (the goodbye came before it), so a
 *       turn that only ended the call gets an empty answer.
 *   <li>Tools are offered, {@code tool_choice} is not {@code "none"}, and the caller asks about a tool's topic: its
 *       keyword (its name split at {@code _} or camel case, minus verbs such as get, lookup, find: {@code get_weather}
 *       has "weather") or a word of that topic ("raining", "sunny" for weather; "tomorrow", "weekend" for forecast).
 *       A forecast supersedes the current weather unless both words are said. Every required string parameter is
 *       filled with the place asked about ({@link Utterance#place}; else the last place of an earlier caller turn), an
 *       integer {@code days} with the days asked for. The reply is the calls alone, no text, so the runtime's filler
 *       covers the wait; ids are {@code call_<request>_<n>}. A question without a place gets "Sure, which city?"
 *       (the parameter's name), and the next answer is read as that place. A place alone after a tool answer
 *       ("what about London?") asks the same tools again.
 *   <li>Goodbye ("bye", "that's all", ...): "Thank you for calling. Goodbye!", followed by a call of
 *       {@value #END_CALL} when the request offers that tool: that call is how a runtime learns the call should end.
 *   <li>Thanks: "You're welcome! Is there anything else I can help you with?"
 *   <li>A greeting: "Hello! I can help with weather and forecast questions. What would you like to know?" (the topics
 *       of the offered tools), or "Hello! How can I help you today?" without tools.
 *   <li>Anything else: the scope line "Sorry, I can only help with weather and forecast questions." (without tools:
 *       "Sorry, I can't help with that.").
 * </ol>
 * Text replies honour {@code stop} (cut before the first stop string, finish {@code stop}) and {@code max_tokens}
 * (cut to that many tokens, finish {@code length}).
 *
 * <p>Thread contract: immutable.
 */
final class RuleBasedModel implements Function<RecordedRequest, ElectronReply> {
  /** The tool a runtime offers to let the model end the call; never matched by keyword. */
  static final String END_CALL = "end_call";
  static final String GOODBYE = "Thank you for calling. Goodbye!";
  private static final String ASK_PREFIX = "Sure, which ";
  private static final Set<String> VERBS =
      Set.of("get", "set", "lookup", "look", "up", "find", "fetch", "check", "list", "search", "query", "do", "current");
  private static final Pattern NAME_WORDS = Pattern.compile("[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])");
  /** Words of a topic that do not name it: "is it raining" is a weather question. */
  private static final Map<String, Set<String>> TOPIC_WORDS = Map.of(
      "weather", Set.of("rain", "raining", "rainy", "snow", "snowing", "sunny", "hot", "cold", "warm", "temperature",
          "wind", "windy", "cloudy", "umbrella", "degrees", "storm", "stormy", "humid", "freezing", "foggy"),
      "forecast", Set.of("tomorrow", "weekend", "week", "days", "tonight"));
  /** A topic that answers another's question too: the forecast includes today. */
  private static final Map<String, String> SUPERSEDES = Map.of("forecast", "weather");

  private final PromptText tokens;

  RuleBasedModel(PromptText tokens) {
    this.tokens = tokens;
  }

  @Override
  public ElectronReply apply(RecordedRequest request) {
    JsonNode body = request.json();
    JsonNode messages = body.path("messages");
    if ("tool".equals(messages.get(messages.size() - 1).path("role").asText())) {
      return textReply(body, toolSummary(messages));
    }
    Utterance user = Utterance.of(request.lastUserText());
    JsonNode tools = offeredTools(body);
    ElectronReply calls = toolCalls(body, tools, messages, user, request.requestId());
    if (calls != null) return calls;
    if (user.isGoodbye()) {
      if (!hasTool(tools, END_CALL)) return textReply(body, GOODBYE);
      return ElectronReply.builder().text(GOODBYE).toolCall(callId(request.requestId(), 1), END_CALL, "{}").build();
    }
    if (user.isThanks()) return textReply(body, "You're welcome! Is there anything else I can help you with?");
    List<String> topics = topics(tools);
    if (user.isGreeting()) {
      return textReply(body, topics.isEmpty() ? "Hello! How can I help you today?"
          : "Hello! I can help with " + and(topics) + " questions. What would you like to know?");
    }
    return textReply(body, topics.isEmpty() ? "Sorry, I can't help with that."
        : "Sorry, I can only help with " + and(topics) + " questions.");
  }

  /** The tool-call reply, a question for a missing place, or null when the caller asked nothing a tool answers. */
  private ElectronReply toolCalls(JsonNode body, JsonNode tools, JsonNode messages, Utterance user, String requestId) {
    if (tools.isEmpty()) return null;
    List<JsonNode> chosen = matching(tools, user);
    String place = user.place();
    List<String> earlierTexts = earlierUserTexts(messages);
    Utterance earlier = earlierTexts.isEmpty() ? null : Utterance.of(earlierTexts.getFirst());
    if (chosen.isEmpty() && earlier != null && !user.isGoodbye() && !user.isThanks()) {
      // "Sure, which city?" answered with a city, or "what about London?" after an answer: the earlier question again.
      boolean asked = lastAssistantText(messages).startsWith(ASK_PREFIX);
      if (asked) place = user.placeAnswer();
      if (place != null && (asked || user.isFollowUp())) chosen = matching(tools, earlier);
    }
    if (chosen.isEmpty()) return null;
    for (int i = 0; place == null && i < earlierTexts.size(); i++) place = Utterance.of(earlierTexts.get(i)).place();
    ElectronReplyBuilder reply = ElectronReply.builder();
    int n = 0;
    for (JsonNode function : chosen) {
      JsonNode schema = function.path("parameters");
      String missing = missingPlace(schema, place);
      if (missing != null) return textReply(body, ASK_PREFIX + missing.replace('_', ' ') + "?");
      reply.toolCall(callId(requestId, ++n), function.path("name").asText(), arguments(schema, place, user).toString());
    }
    return reply.build();
  }

  private static JsonNode offeredTools(JsonNode body) {
    JsonNode tools = body.get("tools");
    if (tools == null || !tools.isArray() || "none".equals(body.path("tool_choice").asText())) {
      return JsonNodeFactory.instance.arrayNode();
    }
    return tools;
  }

  private static boolean hasTool(JsonNode tools, String name) {
    for (JsonNode tool : tools) if (name.equals(tool.path("function").path("name").asText())) return true;
    return false;
  }

  /** The functions whose topic the caller mentions, after a superseding topic drops the one it covers. */
  private static List<JsonNode> matching(JsonNode tools, Utterance user) {
    Map<String, JsonNode> byTopic = new HashMap<>();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode tool : tools) {
      JsonNode function = tool.path("function");
      String name = function.path("name").asText();
      if (name.isEmpty() || name.equals(END_CALL)) continue;
      for (String keyword : keywords(name)) {
        if (user.contains(keyword) || user.hasAny(TOPIC_WORDS.getOrDefault(keyword, Set.of()))) {
          byTopic.put(keyword, function);
          out.add(function);
          break;
        }
      }
    }
    SUPERSEDES.forEach((wider, narrower) -> {
      if (byTopic.containsKey(wider) && byTopic.containsKey(narrower) && !(user.has(wider) && user.has(narrower))) {
        out.remove(byTopic.get(narrower));
      }
    });
    return out;
  }

  /** The name of a required string parameter that needs a place when there is none; null when nothing is missing. */
  private static String missingPlace(JsonNode schema, String place) {
    if (place != null) return null;
    for (JsonNode r : schema.path("required")) {
      if ("string".equals(schema.path("properties").path(r.asText()).path("type").asText())) return r.asText();
    }
    return null;
  }

  /** Every required string parameter set to the place; an integer {@code days} to the days asked for. */
  private static ObjectNode arguments(JsonNode schema, String place, Utterance user) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    for (JsonNode r : schema.path("required")) {
      String name = r.asText();
      if ("string".equals(schema.path("properties").path(name).path("type").asText())) args.put(name, place);
    }
    Integer days = user.days();
    if (days != null && "integer".equals(schema.path("properties").path("days").path("type").asText())) {
      args.put("days", days);
    }
    return args;
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

  /** One sentence per trailing tool result, in order; the names come from the assistant message that called them. */
  private static String toolSummary(JsonNode messages) {
    int first = messages.size();
    while (first > 0 && "tool".equals(messages.get(first - 1).path("role").asText())) first--;
    Map<String, String> names = new HashMap<>();
    if (first > 0) {
      for (JsonNode call : messages.get(first - 1).path("tool_calls")) {
        names.put(call.path("id").asText(), call.path("function").path("name").asText());
      }
    }
    List<String> sentences = new ArrayList<>();
    for (int i = first; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String name = names.get(m.path("tool_call_id").asText());
      if (END_CALL.equals(name)) continue;
      String topic = name == null ? null : String.join(" ", keywords(name));
      sentences.add(ToolResultSpeech.sentence(topic, PromptText.contentText(m.get("content"))));
    }
    return String.join(" ", sentences);
  }

  /** The topics of the offered tools, for the greeting and the scope line ("weather", "forecast"). */
  private static List<String> topics(JsonNode tools) {
    Set<String> topics = new LinkedHashSet<>();
    for (JsonNode tool : tools) {
      String name = tool.path("function").path("name").asText();
      if (!name.isEmpty() && !name.equals(END_CALL) && !keywords(name).isEmpty()) {
        topics.add(String.join(" ", keywords(name)));
      }
    }
    return List.copyOf(topics);
  }

  private static List<String> keywords(String toolName) {
    List<String> words = new ArrayList<>();
    Matcher m = NAME_WORDS.matcher(toolName);
    while (m.find()) {
      String word = m.group().toLowerCase(Locale.ROOT);
      if (!VERBS.contains(word)) words.add(word);
    }
    return words;
  }

  /** The texts of the user messages before the last one, newest first. */
  private static List<String> earlierUserTexts(JsonNode messages) {
    List<String> texts = new ArrayList<>();
    boolean last = true;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!"user".equals(messages.get(i).path("role").asText())) continue;
      if (!last) texts.add(PromptText.contentText(messages.get(i).get("content")));
      last = false;
    }
    return texts;
  }

  private static String lastAssistantText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if ("assistant".equals(m.path("role").asText())) return PromptText.contentText(m.get("content"));
    }
    return "";
  }

  private static String and(List<String> items) {
    if (items.size() == 1) return items.getFirst();
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
  }

  private static String callId(String requestId, int n) {
    return "call_" + requestId.substring(0, 8) + "_" + n;
  }
}
