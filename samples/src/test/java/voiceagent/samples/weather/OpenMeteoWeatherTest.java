package voiceagent.samples.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.VertxClock;
import voiceagent.samples.weather.OpenMeteoReplay.Reply;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.tools.ToolCall;
import voiceagent.tools.ToolExecutor;
import voiceagent.tools.ToolRegistry;
import voiceagent.tools.ToolResult;

/** The real Open-Meteo client against a local server replaying documented response bodies. */
class OpenMeteoWeatherTest {
  private final OpenMeteoReplay server = new OpenMeteoReplay()
      .on(OpenMeteoReplay.SEARCH, new Reply.Body(200, "geocoding-not-found.json"))
      .city("Paris", new Reply.Body(200, "geocoding-paris.json"))
      .city("San Francisco", new Reply.Body(200, "geocoding-san-francisco.json"))
      .on(OpenMeteoReplay.FORECAST, new Reply.Body(200, "forecast.json"));

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void currentWeatherGeocodesThenReadsTheCurrentBlockInWords() {
    WeatherSource.Current paris = new OpenMeteoWeather(server.config(4000)).current("  Paris ");
    assertEquals(new WeatherSource.Current("Paris, France", "overcast", "6 degrees Celsius", "12 km/h"), paris);
    assertEquals(List.of(
        "/v1/search?name=Paris&count=1&language=en&format=json",
        "/v1/forecast?latitude=48.85341&longitude=2.3488&current=temperature_2m,weather_code,wind_speed_10m"
            + "&daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max"
            + "&timezone=auto&forecast_days=3"), server.requests);
  }

  @Test
  void aCityFoundOnceIsNotGeocodedAgain() {
    OpenMeteoWeather weather = new OpenMeteoWeather(server.config(4000));
    weather.current("Paris");
    weather.forecast("paris", 2);
    assertEquals(1, server.requests.stream().filter(uri -> uri.startsWith(OpenMeteoReplay.SEARCH)).count(),
        server.requests.toString());
    assertEquals(3, server.requests.size());
  }

  @Test
  void cityNamesWithSpacesAreEncodedInTheQuery() {
    assertEquals("San Francisco, United States",
        new OpenMeteoWeather(server.config(4000)).current("San Francisco").city());
    assertEquals("/v1/search?name=San%20Francisco&count=1&language=en&format=json", server.requests.getFirst());
  }

  @Test
  void forecastNamesTheDaysAndReadsRainChancesWhenGiven() {
    WeatherSource.Forecast forecast = new OpenMeteoWeather(server.config(4000)).forecast("Paris", 3);
    assertEquals("Paris, France", forecast.city());
    // 2026-12-09 is a Wednesday; its rain chance is null in the body, so it is not spoken.
    assertEquals("today light rain, 4 to 9 degrees Celsius, 75 percent chance of rain; "
        + "tomorrow overcast, 5 to 10 degrees Celsius, 20 percent chance of rain; "
        + "on Wednesday thunderstorms, 0 to 7 degrees Celsius", forecast.forecast());
    assertEquals("today light rain, 4 to 9 degrees Celsius, 75 percent chance of rain",
        new OpenMeteoWeather(server.config(4000)).forecast("Paris", 1).forecast());
  }

  @Test
  void anUnknownCityIsNotFoundWithoutAskingForAForecast() {
    AgentException e = assertThrows(AgentException.class,
        () -> new OpenMeteoWeather(server.config(4000)).current("Atlantis"));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals("city not found: Atlantis", e.getMessage());
    assertEquals(1, server.requests.size(), server.requests.toString());
  }

  @Test
  void anHttpErrorNamesTheStatusAndOpenMeteosReason() {
    server.on(OpenMeteoReplay.FORECAST, new Reply.Body(500, "geocoding-not-found.json"));
    AgentException e = assertThrows(AgentException.class,
        () -> new OpenMeteoWeather(server.config(4000)).current("Paris"));
    assertEquals("weather service answered HTTP 500", e.getMessage());
    assertEquals(ErrorKind.SERVER, e.kind());
    assertTrue(e.retriable());

    server.on(OpenMeteoReplay.FORECAST, new Reply.Body(400, "error-400.json"));
    AgentException bad = assertThrows(AgentException.class,
        () -> new OpenMeteoWeather(server.config(4000)).forecast("Paris", 2));
    assertEquals("weather service answered HTTP 400: Latitude must be in range of -90 to 90°. Given: 91.0.",
        bad.getMessage());
  }

  @Test
  void aSilentServerTimesOutAfterTheConfiguredDeadline() {
    server.city("Paris", new Reply.Silence());
    AgentException e = assertThrows(AgentException.class,
        () -> new OpenMeteoWeather(server.config(150)).current("Paris"));
    assertEquals(ErrorKind.TIMEOUT, e.kind());
    assertEquals("weather service timed out after 150 ms", e.getMessage());
  }

  @Test
  void aBodyThatStallsAfterTheHeadersTimesOutToo() {
    server.on(OpenMeteoReplay.FORECAST, new Reply.StallAfterHeaders());
    AgentException e = assertThrows(AgentException.class,
        () -> new OpenMeteoWeather(server.config(150)).forecast("Paris", 1));
    assertEquals("weather service timed out after 150 ms", e.getMessage());
  }

  @Test
  void aBodyInAnotherFormatIsUnreadableNotACrash() {
    server.on(OpenMeteoReplay.FORECAST, new Reply.Body(200, "geocoding-paris.json"));
    AgentException e = assertThrows(AgentException.class,
        () -> new OpenMeteoWeather(server.config(4000)).current("Paris"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertEquals("weather service sent an unreadable answer", e.getMessage());
  }

  @Test
  void throughTheExecutorFailuresAreShortErrorResultsTheModelCanRead() throws Exception {
    server.on(OpenMeteoReplay.FORECAST, new Reply.Body(500, "geocoding-not-found.json"));
    ToolRegistry registry = ToolRegistry.of(WeatherTools.of(new OpenMeteoWeather(server.config(4000)),
        Duration.ofSeconds(4)));
    Vertx vertx = BlockedThreadGuard.newVertx();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolResult unknown = run(executor, registry, vertx, "get_weather", "{\"city\":\"Atlantis\"}");
      assertTrue(unknown.error());
      assertEquals("{\"error\":\"city not found: Atlantis\"}", unknown.content());
      ToolResult failed = run(executor, registry, vertx, "get_forecast", "{\"city\":\"Paris\",\"days\":2}");
      assertEquals("{\"error\":\"weather service answered HTTP 500\"}", failed.content());
    } finally {
      vertx.close().await();
    }
  }

  static ToolResult run(ToolExecutor executor, ToolRegistry registry, Vertx vertx, String name, String arguments)
      throws Exception {
    ToolCall call = ToolCall.of("call-1", name, arguments);
    return executor.execute(call, registry.find(name).orElseThrow(), vertx.getOrCreateContext()).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
