package voiceagent.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import voiceagent.common.AgentException;
import voiceagent.common.EditDistance;
import voiceagent.common.ErrorKind;

/**
 * Checks an operator's configuration file against the keys of the shipped defaults ({@code voice-agent.yaml}, which
 * lists every key the runtime reads): an unknown key is an error naming it, the file, and the nearest known key.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
final class ConfigKeys {
  /** Sections whose keys the operator names (price versions): their own reader checks their shape. */
  private static final Set<String> OPEN_SECTIONS = Set.of("prices");

  private ConfigKeys() {}

  /** Throws for the first key of {@code overlay} (in file order) that {@code defaults} does not have. */
  static void check(JsonNode defaults, JsonNode overlay, Path file) {
    List<String> known = new ArrayList<>(OPEN_SECTIONS);
    collect(defaults, "", known);
    check(defaults, overlay, "", file, known);
  }

  private static void check(JsonNode defaults, JsonNode overlay, String prefix, Path file, List<String> known) {
    if (overlay == null || !overlay.isObject()) return;
    for (Map.Entry<String, JsonNode> e : overlay.properties()) {
      String path = prefix + e.getKey();
      if (OPEN_SECTIONS.contains(path)) continue;
      JsonNode def = defaults.get(e.getKey());
      if (def == null) {
        // The value is not echoed: a misspelt api_key holds a credential.
        throw new AgentException(ErrorKind.CONFIG, "config",
            path + ": unknown key in " + file + " (did you mean " + EditDistance.nearest(path, known) + "?)");
      }
      if (def.isObject()) check(def, e.getValue(), path + ".", file, known);
    }
  }

  private static void collect(JsonNode node, String prefix, List<String> into) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      into.add(prefix + e.getKey());
      if (e.getValue().isObject()) collect(e.getValue(), prefix + e.getKey() + ".", into);
    }
  }
}
