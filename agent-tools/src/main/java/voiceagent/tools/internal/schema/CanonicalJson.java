package voiceagent.tools.internal.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Writes JSON canonically: object keys sorted at every depth, no whitespace. Two trees with the same content give
 * the same bytes whatever order their keys were inserted in, which keeps the tool catalog inside Electron's cached
 * prompt prefix from one request to the next.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class CanonicalJson {
  private static final ObjectMapper SORTED =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private CanonicalJson() {}

  /** The canonical text of {@code node}. */
  public static String write(JsonNode node) {
    try {
      return SORTED.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }
}
