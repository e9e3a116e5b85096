package voiceagent.samples.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.AgentConfig;
import voiceagent.tools.CatalogLint;
import voiceagent.tools.LintWarning;
import voiceagent.tools.Tool;

class WeatherAgentTest {

  @Test
  void catalogHasTheThreeToolsAndPassesTheLintAtTheDefaultBudget() {
    AgentConfig config = WeatherAgent.config();
    assertEquals(List.of("end_call", "get_forecast", "get_weather"),
        config.tools().tools().stream().map(Tool::name).toList());
    // The agent lints at the default budget (60 tokens) when it starts: the demo must start without a warning.
    List<LintWarning> warnings = CatalogLint.lint(config.tools(), CatalogLint.DEFAULT_TOKEN_BUDGET);
    assertTrue(warnings.isEmpty(), warnings::toString);
  }

  @Test
  void promptAndCatalogAreByteIdenticalAcrossCallsAndSources() {
    AgentConfig a = WeatherAgent.config();
    AgentConfig b = WeatherAgent.config();
    AgentConfig live = WeatherAgent.config(WeatherConfig.defaults());
    assertEquals(a.systemPrompt().get(), b.systemPrompt().get());
    assertEquals(a.systemPrompt().get(), live.systemPrompt().get());
    assertEquals(a.tools().catalogJson(), b.tools().catalogJson());
    assertEquals(a.tools().catalogJson(), live.tools().catalogJson());
    assertEquals(0.0, a.temperature());
  }

  @Test
  void promptIsPlainSpokenTextWithoutDatesOrMarkup() {
    String prompt = WeatherAgent.config().systemPrompt().get();
    assertFalse(prompt.matches("(?s).*\\d.*"), "no dates or numbers: " + prompt);
    assertFalse(prompt.matches("(?s).*[*#`\\n].*"), "one paragraph, no markdown: " + prompt);
  }

  @Test
  void theWeatherSectionChoosesTheSourceAndEnvironmentOverridesTheUrls() {
    ConfigTree root = ConfigTree.load(null, Map.of("OPEN_METEO_GEOCODING_URL", "http://geo.test/v1/search"));
    WeatherConfig weather = WeatherConfig.from(root.section("weather"));
    assertEquals(WeatherConfig.Source.OPEN_METEO, weather.source());
    assertEquals("http://geo.test/v1/search", weather.geocodingUrl());
    assertEquals(WeatherConfig.DEFAULT_FORECAST_URL, weather.forecastUrl());
    assertEquals(4000, weather.timeoutMillis());
    assertEquals(WeatherConfig.Source.OFFLINE,
        WeatherConfig.from(ConfigTree.load(null, Map.of("WEATHER_SOURCE", "offline")).section("weather")).source());
  }

  @Test
  void badWeatherSettingsNameTheKeyAndTheValue() {
    ConfigTree bad = ConfigTree.load(null, Map.of("WEATHER_SOURCE", "met-office"));
    assertEquals("weather.source=met-office: expected open-meteo or offline",
        assertThrows(AgentException.class, () -> WeatherAgent.config(bad, false)).getMessage());
    ConfigTree notUrl = ConfigTree.load(null, Map.of("OPEN_METEO_FORECAST_URL", "ftp://x/forecast"));
    assertEquals("weather.forecast_url=ftp://x/forecast: expected an http:// or https:// URL",
        assertThrows(AgentException.class, () -> WeatherConfig.from(notUrl.section("weather"))).getMessage());
  }
}
