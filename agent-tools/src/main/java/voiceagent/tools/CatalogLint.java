package voiceagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import voiceagent.tools.internal.lint.Sentences;
import voiceagent.tools.internal.lint.TokenCounter;
import voiceagent.tools.internal.schema.CanonicalJson;

/**
 * Checks that a tool catalog stays cheap and clear: every tool's catalog entry is sent (and, on a cache miss, paid
 * for) on every request of every call. Warns when a description is more than one sentence, when a tool's entry
 * costs more than a token budget, and when a parameter description is long. Tokens are counted with JTokkit's
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
