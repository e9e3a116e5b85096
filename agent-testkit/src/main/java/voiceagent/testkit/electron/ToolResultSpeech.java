package voiceagent.testkit.electron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one tool result into a spoken sentence for the {@link RuleBasedModel}, using the result's own content:
 * <ul>
 *   <li>{@code {"error": "city not found: Atlantis"}}: "Sorry, I couldn't look that up: city not found: Atlantis."
 *   <li>a JSON object: "Here is the weather for Paris: partly cloudy, temperature 18 degrees Celsius, wind 12 km/h."
 *       — the topic is the tool's keyword ({@code get_weather}: weather), the place is the first of {@code city},
 *       {@code location}, {@code place}, {@code name}; descriptive fields ({@code conditions}, {@code forecast},
 *       {@code summary}, ...) are read bare, the others as "key value";
 *   <li>anything else is quoted: "Here is the local time: 10:42."
 * </ul>
 *
 * <p>Thread contract: stateless, thread-safe.
 */
final class ToolResultSpeech {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> PLACE_FIELDS = List.of("city", "location", "place", "name");
  private static final Set<String> BARE_FIELDS = Set.of("conditions", "forecast", "summary", "description", "status",
      "result", "text", "answer");

  private ToolResultSpeech() {}

  /** The sentence for {@code content}, the result of {@code topic}'s tool (null topic: the tool is unknown). */
  static String sentence(String topic, String content) {
    JsonNode node = parse(content);
    String lead = topic == null || topic.isEmpty() ? "Here is what I found" : "Here is the " + topic;
    if (node == null || !node.isObject()) return end(lead + ": " + content.strip());
    if (node.path("error").isValueNode()) {
      return end("Sorry, I couldn't look that up: " + node.get("error").asText());
    }
    String place = null;
    for (String field : PLACE_FIELDS) {
      if (node.path(field).isTextual()) {
        place = field;
        break;
      }
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().equals(place)) continue;
      String value = e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
      parts.add(BARE_FIELDS.contains(e.getKey()) ? value : e.getKey().replace('_', ' ') + " " + value);
    }
    String head = place == null ? lead : lead + " for " + node.get(place).asText();
    return end(parts.isEmpty() ? head : head + ": " + String.join(", ", parts));
  }

  private static JsonNode parse(String content) {
    try {
      return MAPPER.readTree(content);
    } catch (JsonProcessingException notJson) {
      return null; // plain text is quoted as it is
    }
  }

  private static String end(String sentence) {
    String s = sentence.strip();
    return s.matches(".*[.!?]$") ? s : s + ".";
  }
}
