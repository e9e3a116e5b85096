package voiceagent.samples.weather;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolParam;

/**
 * The weather agent's tools over a {@link WeatherSource}: {@code get_weather}, {@code get_forecast} and
 * {@code end_call}. The catalog is the same whichever source answers, so the prompt cache holds across both. While a
 * lookup runs the caller hears a filler naming the city the model asked for ("Let me check the weather in Paris…").
 *
 * <p>{@code end_call} does nothing by itself: it is how the model says the conversation is over. A call session that
 * sees its {@code ToolCallStarted} ends the call once the goodbye spoken before it has played.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class WeatherTools {
  /** The name of the tool the model calls after its goodbye. */
  public static final String END_CALL = "end_call";

  /** A city name longer than this is not a name: the filler then stays generic rather than reading it out. */
  private static final int MAX_SPOKEN_CITY_CHARS = 40;

  /** Arguments of {@code get_weather}. */
  record CityArgs(@ToolParam(description = "City name, e.g. Paris") String city) {}

  /**
   * Arguments of {@code get_forecast}. They carry no descriptions: the tool's sentence names both, and each described
   * argument would cost about five tokens more than the catalog budget
   * ({@link voiceagent.tools.CatalogLint#DEFAULT_TOKEN_BUDGET}) allows.
   */
  record ForecastArgs(String city, @ToolParam(required = false) Integer days) {}

  private WeatherTools() {}

  /**
   * The three tools, sorted by name (a stable catalog). Each lookup's time limit leaves one second past the source's
   * own deadline ({@code lookupTimeout}), so that the model hears the source's plain "timed out" rather than the
   * executor's.
   */
  public static List<Tool> of(WeatherSource source, Duration lookupTimeout) {
    Duration limit = lookupTimeout.plusSeconds(1);
    Tool endCall = Tool.builder(END_CALL)
        .description("Ends the call; use it after saying goodbye.")
        .sideEffects(true)
        .filler("Goodbye!") // heard only when the model ends the call without a goodbye of its own
        .handler(args -> null)
        .build();
    Tool forecast = Tool.builder("get_forecast")
        .description("Weather forecast for a city, 1 to 3 days.")
        .timeout(limit)
        .filler(args -> "Let me check the forecast" + place("for", args))
        .handler(ForecastArgs.class, a -> source.forecast(a.city(),
            a.days() == null ? WeatherSource.MAX_FORECAST_DAYS : a.days()))
        .build();
    Tool weather = Tool.builder("get_weather")
        .description("Current weather conditions in a city.")
        .timeout(limit)
        .filler(args -> "Let me check the weather" + place("in", args))
        .handler(CityArgs.class, a -> source.current(a.city()))
        .build();
    return List.of(endCall, forecast, weather);
  }

  /** " in Paris…" when the model named a city, else "…". */
  private static String place(String preposition, JsonNode args) {
    JsonNode city = args == null ? null : args.get("city");
    String name = city != null && city.isTextual() ? city.asText().strip() : "";
    return name.isEmpty() || name.length() > MAX_SPOKEN_CITY_CHARS ? "…" : " " + preposition + " " + name + "…";
  }
}
