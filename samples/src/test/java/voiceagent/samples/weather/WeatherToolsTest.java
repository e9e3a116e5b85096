package voiceagent.samples.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.common.VertxClock;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.tools.ToolCall;
import voiceagent.tools.ToolExecutor;
import voiceagent.tools.ToolRegistry;
import voiceagent.tools.ToolResult;
import voiceagent.tools.Tools;

class WeatherToolsTest {
  private final WeatherTools tools = new WeatherTools();
  private final Vertx vertx = BlockedThreadGuard.newVertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void currentWeatherComesFromTheTableWhateverTheCase() {
    WeatherTools.Current paris = tools.getWeather("  paris ");
    assertEquals(new WeatherTools.Current("Paris", "partly cloudy", "18 degrees Celsius", "12 km/h"), paris);
    assertEquals("New York", tools.getWeather("new  york").city());
  }

  @Test
  void forecastHasTheAskedDaysAndDefaultsToThree() {
    assertEquals("today clear, 14 to 22 degrees Celsius; tomorrow light rain, 15 to 19 degrees Celsius",
        tools.getForecast("Tokyo", 2).forecast());
    assertEquals(3, tools.getForecast("Tokyo", null).forecast().split("; ").length);
  }

  @Test
  void badDaysAndUnknownCitiesAreNamedInTheError() {
    assertEquals("days must be 1 to 3, got 4",
        assertThrows(IllegalArgumentException.class, () -> tools.getForecast("Paris", 4)).getMessage());
    assertEquals("unknown city: Atlantis",
        assertThrows(IllegalArgumentException.class, () -> tools.getWeather("Atlantis")).getMessage());
  }

  @Test
  void throughTheExecutorAnUnknownCityIsAnErrorResultTheModelCanRead() throws Exception {
    ToolRegistry registry = ToolRegistry.of(Tools.fromObject(tools));
    Context context = vertx.getOrCreateContext();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolResult unknown = run(executor, registry, context, "get_weather", "{\"city\":\"Atlantis\"}");
      assertTrue(unknown.error());
      assertEquals("{\"error\":\"unknown city: Atlantis\"}", unknown.content());

      ToolResult london = run(executor, registry, context, "get_forecast", "{\"city\":\"London\",\"days\":1}");
      assertFalse(london.error());
      assertEquals("{\"city\":\"London\",\"forecast\":\"today overcast, 10 to 15 degrees Celsius\"}",
          london.content());
    }
  }

  private static ToolResult run(ToolExecutor executor, ToolRegistry registry, Context context, String name,
      String arguments) throws Exception {
    ToolCall call = ToolCall.of("call-1", name, arguments);
    return executor.execute(call, registry.find(name).orElseThrow(), context).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
