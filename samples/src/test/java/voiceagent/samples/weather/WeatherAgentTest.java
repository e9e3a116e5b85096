package voiceagent.samples.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.core.AgentConfig;
import voiceagent.tools.CatalogLint;
import voiceagent.tools.LintWarning;
import voiceagent.tools.Tool;

class WeatherAgentTest {

  @Test
  void catalogHasBothToolsAndPassesTheLintAtTheDefaultBudget() {
    AgentConfig config = WeatherAgent.config();
    assertEquals(List.of("get_forecast", "get_weather"), config.tools().tools().stream().map(Tool::name).toList());
    // The agent lints at the default budget (60 tokens) when it starts: the demo must start without a warning.
    List<LintWarning> warnings = CatalogLint.lint(config.tools(), CatalogLint.DEFAULT_TOKEN_BUDGET);
    assertTrue(warnings.isEmpty(), warnings::toString);
  }

  @Test
  void promptAndCatalogAreByteIdenticalAcrossCalls() {
    AgentConfig a = WeatherAgent.config();
    AgentConfig b = WeatherAgent.config();
    assertEquals(a.systemPrompt().get(), b.systemPrompt().get());
    assertEquals(a.systemPrompt().get(), a.systemPrompt().get());
    assertEquals(a.tools().catalogJson(), b.tools().catalogJson());
    assertEquals(0.0, a.temperature());
  }

  @Test
  void promptIsPlainSpokenTextWithoutDatesOrMarkup() {
    String prompt = WeatherAgent.config().systemPrompt().get();
    assertFalse(prompt.matches("(?s).*\\d.*"), "no dates or numbers: " + prompt);
    assertFalse(prompt.matches("(?s).*[*#`\\n].*"), "one paragraph, no markdown: " + prompt);
  }
}
