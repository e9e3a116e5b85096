package voiceagent.samples.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.VertxClock;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolExecutor;
import voiceagent.tools.ToolRegistry;
import voiceagent.tools.ToolResult;

/** The offline table, and the tools over a source: results, errors, fillers, time limits. */
class WeatherToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OfflineWeather offline = new OfflineWeather();
  private final ToolRegistry registry = ToolRegistry.of(WeatherTools.of(offline, Duration.ofSeconds(4)));
  private final Vertx vertx = BlockedThreadGuard.newVertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void currentWeatherComesFromTheTableWhateverTheCase() {
    assertEquals(new WeatherSource.Current("Paris", "partly cloudy", "18 degrees Celsius", "12 km/h"),
        offline.current("  paris "));
    assertEquals("New York", offline.current("new  york").city());
  }

  @Test
  void forecastHasTheAskedDays() {
    assertEquals("today clear, 14 to 22 degrees Celsius; tomorrow light rain, 15 to 19 degrees Celsius",
        offline.forecast("Tokyo", 2).forecast());
    assertEquals(3, offline.forecast("Tokyo", 3).forecast().split("; ").length);
  }

  @Test
  void badDaysAndUnknownCitiesAreNamedInTheError() {
    assertEquals("days must be 1 to 3, got 4",
        assertThrows(IllegalArgumentException.class, () -> offline.forecast("Paris", 4)).getMessage());
    assertEquals("city not found: Atlantis",
        assertThrows(AgentException.class, () -> offline.current("Atlantis")).getMessage());
    assertEquals("city is empty",
        assertThrows(IllegalArgumentException.class, () -> offline.current(" ")).getMessage());
  }

  @Test
  void throughTheExecutorResultsAreJsonAndFailuresAreErrorResults() throws Exception {
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolResult unknown =
          OpenMeteoWeatherTest.run(executor, registry, vertx, "get_weather", "{\"city\":\"Atlantis\"}");
      assertTrue(unknown.error());
      assertEquals("{\"error\":\"city not found: Atlantis\"}", unknown.content());

      ToolResult london = OpenMeteoWeatherTest.run(executor, registry, vertx, "get_forecast",
          "{\"city\":\"London\",\"days\":1}");
      assertFalse(london.error());
      assertEquals("{\"city\":\"London\",\"forecast\":\"today overcast, 10 to 15 degrees Celsius\"}",
          london.content());
      ToolResult all = OpenMeteoWeatherTest.run(executor, registry, vertx, "get_forecast", "{\"city\":\"London\"}");
      assertEquals(3, all.content().split("; ").length, "days default to three");

      ToolResult bye = OpenMeteoWeatherTest.run(executor, registry, vertx, "end_call", "{}");
      assertEquals("{\"ok\":true}", bye.content());
    }
  }

  @Test
  void fillersNameTheCityTheModelAskedFor() throws Exception {
    Tool weather = registry.find("get_weather").orElseThrow();
    Tool forecast = registry.find("get_forecast").orElseThrow();
    assertEquals("Let me check the weather in Paris…", weather.filler(JSON.readTree("{\"city\":\"Paris\"}")).get());
    assertEquals("Let me check the forecast for New York…",
        forecast.filler(JSON.readTree("{\"city\":\" New York \",\"days\":2}")).get());
    assertEquals("Let me check the weather…", weather.filler(JSON.readTree("{}")).get());
    assertEquals("Let me check the weather…", weather.filler(null).get(), "arguments that did not parse");
    assertEquals("Let me check the weather…",
        weather.filler(JSON.readTree("{\"city\":\"" + "x".repeat(60) + "\"}")).get(), "not a name: not read out");
    assertEquals("Goodbye!", registry.find("end_call").orElseThrow().filler(JSON.readTree("{}")).get());
  }

  @Test
  void lookupsMayRunPastTheSourceDeadlineSoTheSourceSaysWhatTimedOut() {
    assertEquals(Duration.ofMillis(5000), registry.find("get_weather").orElseThrow().timeout());
    assertTrue(registry.find("end_call").orElseThrow().sideEffects(), "ending a call is not undone by a barge-in");
  }
}
