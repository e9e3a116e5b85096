package voiceagent.samples.weather;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import voiceagent.tools.ToolFunction;
import voiceagent.tools.ToolParam;

/**
 * The weather agent's tools, answering from a fixed table of cities so that the demo runs offline and gives the same
 * answer every time. An unknown city or a bad number of days is an error result the model reads, such as
 * {@code {"error":"unknown city: Atlantis"}}.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public final class WeatherTools {
  /** The spoken labels of forecast days 1 to 3; the table has no dates so that answers never change. */
  private static final List<String> DAY_NAMES = List.of("today", "tomorrow", "the day after");

  /** Current conditions: what {@code get_weather} answers. */
  public record Current(String city, String conditions, String temperature, String wind) {}

  /** A forecast of one or more days: what {@code get_forecast} answers. */
  public record Forecast(String city, String forecast) {}

  private record Day(String conditions, int lowC, int highC) {}

  private record City(String name, String conditions, int temperatureC, int windKmh, List<Day> days) {}

  private static final Map<String, City> CITIES = table(
      new City("Paris", "partly cloudy", 18, 12,
          List.of(new Day("partly cloudy", 12, 19), new Day("light rain", 11, 16), new Day("sunny", 13, 21))),
      new City("London", "overcast", 14, 19,
          List.of(new Day("overcast", 10, 15), new Day("showers", 9, 14), new Day("cloudy", 10, 16))),
      new City("New York", "sunny", 22, 15,
          List.of(new Day("sunny", 16, 24), new Day("thunderstorms", 18, 26), new Day("partly cloudy", 17, 23))),
      new City("Tokyo", "clear", 20, 8,
          List.of(new Day("clear", 14, 22), new Day("light rain", 15, 19), new Day("cloudy", 13, 20))),
      new City("Mumbai", "humid and hazy", 31, 14,
          List.of(new Day("hazy", 26, 32), new Day("heavy rain", 25, 29), new Day("heavy rain", 25, 28))),
      new City("Berlin", "cloudy", 15, 17,
          List.of(new Day("cloudy", 9, 16), new Day("sunny", 8, 18), new Day("windy", 10, 15))),
      new City("Sydney", "sunny", 24, 22,
          List.of(new Day("sunny", 17, 25), new Day("partly cloudy", 16, 23), new Day("showers", 15, 20))));

  @ToolFunction(name = "get_weather", description = "Current weather conditions in a city.")
  public Current getWeather(@ToolParam(description = "City name, e.g. Paris") String city) {
    City c = lookup(city);
    return new Current(c.name(), c.conditions(), c.temperatureC() + " degrees Celsius", c.windKmh() + " km/h");
  }

  /**
   * The arguments carry no descriptions: the sentence names both, and each described argument would cost about five
   * tokens more than the agent's catalog budget ({@link voiceagent.tools.CatalogLint#DEFAULT_TOKEN_BUDGET}) allows.
   */
  @ToolFunction(name = "get_forecast", description = "Weather forecast for a city, 1 to 3 days.")
  public Forecast getForecast(String city, @ToolParam(required = false) Integer days) {
    int n = days == null ? DAY_NAMES.size() : days;
    if (n < 1 || n > DAY_NAMES.size()) throw new IllegalArgumentException("days must be 1 to 3, got " + n);
    City c = lookup(city);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Day d = c.days().get(i);
      if (i > 0) text.append("; ");
      text.append(DAY_NAMES.get(i)).append(' ').append(d.conditions()).append(", ").append(d.lowC()).append(" to ")
          .append(d.highC()).append(" degrees Celsius");
    }
    return new Forecast(c.name(), text.toString());
  }

  private static City lookup(String city) {
    if (city == null || city.isBlank()) throw new IllegalArgumentException("city is empty");
    City c = CITIES.get(key(city));
    if (c == null) throw new IllegalArgumentException("unknown city: " + city.strip());
    return c;
  }

  private static String key(String city) {
    return city.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static Map<String, City> table(City... cities) {
    return java.util.Arrays.stream(cities).collect(java.util.stream.Collectors.toUnmodifiableMap(
        c -> key(c.name()), c -> c));
  }
}
