package voiceagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import voiceagent.common.EditDistance;
import voiceagent.tools.internal.lint.Sentences;
import voiceagent.tools.internal.lint.TokenCounter;
import voiceagent.tools.internal.schema.CanonicalJson;

/**
 * Checks that a tool catalog stays cheap and clear: every tool's catalog entry is sent (and, on a cache miss, paid
 * for) on every request of every call. Warns when a description is more than one sentence, when a tool's entry
 * costs more than a token budget, and when a parameter description is long; and flags schema mistakes the model
 * would be misled by: a {@code type} that JSON Schema does not have (e.g. {@code strng}), and a {@code required}
 * name that is not among the {@code properties}. Tokens are counted with JTokkit's
 * {@code cl100k_base} encoding on the canonical entry text, exactly as {@link ToolRegistry#catalogJson()} writes it.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class CatalogLint {
  /**
   * Default token budget of one tool: a name, a one-sentence description and two or three described parameters fit
   * in about 60 tokens; a tool past it usually carries prose the model does not need.
   */
  public static final int DEFAULT_TOKEN_BUDGET = 60;

  /** Longest parameter description, in tokens: a parameter needs a few words (a unit, a format, an example). */
  public static final int PARAMETER_DESCRIPTION_TOKENS = 20;

  /** The types of JSON Schema (draft 2020-12, section 6.1.1). */
  private static final List<String> SCHEMA_TYPES =
      List.of("string", "number", "integer", "boolean", "object", "array", "null");

  private CatalogLint() {}

  /** Lints with {@link #DEFAULT_TOKEN_BUDGET}. */
  public static List<LintWarning> lint(ToolRegistry registry) {
    return lint(registry, DEFAULT_TOKEN_BUDGET);
  }

  /** The warnings for every tool of {@code registry}, in registration order. */
  public static List<LintWarning> lint(ToolRegistry registry, int tokenBudgetPerTool) {
    List<LintWarning> warnings = new ArrayList<>();
    for (Tool tool : registry.tools()) {
      int tokens = tokens(tool);
      int sentences = Sentences.count(tool.description());
      if (sentences > 1) {
        warnings.add(new LintWarning(tool.name(), "description has " + sentences + " sentences; use one", tokens));
      }
      if (tokens > tokenBudgetPerTool) {
        warnings.add(new LintWarning(tool.name(),
            "costs " + tokens + " tokens, over the budget of " + tokenBudgetPerTool, tokens));
      }
      lintParameters(tool, tool.schema(), "", tokens, warnings);
    }
    return List.copyOf(warnings);
  }

  /** The types and required names of one schema node (a parameter, its items, a definition, or the root). */
  private static void lintSchema(Tool tool, JsonNode schema, String prefix, int tokens, List<LintWarning> warnings) {
    if (!schema.isObject()) return;
    String where = prefix.isEmpty() ? "parameters" : "parameter " + prefix.substring(0, prefix.length() - 1);
    JsonNode type = schema.get("type");
    List<JsonNode> types = new ArrayList<>();
    if (type != null && type.isArray()) type.forEach(types::add);
    else if (type != null) types.add(type);
    for (JsonNode t : types) {
      if (!t.isTextual() || !SCHEMA_TYPES.contains(t.asText())) {
        String name = t.asText();
        warnings.add(new LintWarning(tool.name(), where + ": unknown type " + t + " (did you mean "
            + EditDistance.nearest(name, SCHEMA_TYPES) + "?)", tokens));
      }
    }
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      JsonNode properties = schema.path("properties");
      List<String> names = new ArrayList<>();
      properties.fieldNames().forEachRemaining(names::add);
      for (JsonNode name : required) {
        if (!properties.has(name.asText())) {
          warnings.add(new LintWarning(tool.name(), where + ": required " + name + " is not in properties"
              + (names.isEmpty() ? "" : " (did you mean \"" + EditDistance.nearest(name.asText(), names) + "\"?)"),
              tokens));
        }
      }
    }
  }

  /** The tokens of the tool's canonical catalog entry. */
  public static int tokens(Tool tool) {
    return TokenCounter.count(CanonicalJson.write(ToolRegistry.entry(tool)));
  }

  /** The tokens of a whole catalog, as sent in each request. */
  public static int tokens(ToolRegistry registry) {
    return TokenCounter.count(registry.catalogJson());
  }

  private static void lintParameters(Tool tool, JsonNode schema, String prefix, int tokens,
      List<LintWarning> warnings) {
    lintSchema(tool, schema, prefix, tokens, warnings);
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String path = prefix + property.getKey();
      JsonNode description = property.getValue().get("description");
      if (description != null && description.isTextual()) {
        int cost = TokenCounter.count(description.asText());
        if (cost > PARAMETER_DESCRIPTION_TOKENS) {
          warnings.add(new LintWarning(tool.name(), "parameter " + path + ": description is " + cost
              + " tokens, over " + PARAMETER_DESCRIPTION_TOKENS, tokens));
        }
      }
      lintParameters(tool, property.getValue(), path + ".", tokens, warnings);
      lintParameters(tool, property.getValue().path("items"), path + "[].", tokens, warnings);
    }
    for (Map.Entry<String, JsonNode> definition : schema.path("$defs").properties()) {
      lintParameters(tool, definition.getValue(), definition.getKey() + ".", tokens, warnings);
    }
  }
}
