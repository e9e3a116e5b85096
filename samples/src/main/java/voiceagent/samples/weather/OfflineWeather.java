package voiceagent.samples.weather;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Weather from a fixed table of cities, so that the demo runs offline and gives the same answer every time. An
 * unknown city is {@code city not found: Atlantis}, as from the real service.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public final class OfflineWeather implements WeatherSource {
  /** The spoken labels of forecast days 1 to 3; the table has no dates so that answers never change. */
  private static final List<String> DAY_NAMES = List.of("today", "tomorrow", "the day after");

  private record Day(String conditions, int lowC, int highC) {}

  private record City(String name, String conditions, int temperatureC, int windKmh, List<Day> days) {}

  private static final Map<String, City> CITIES = table(
      new City("Paris", "partly cloudy", 18, 12,
          List.of(new Day("partly cloudy", 12, 19), new Day("light rain", 11, 16), new Day("sunny", 13, 21))),
      new City("London", "overcast", 14, 19,
          List.of(new Day("overcast", 10, 15), new Day("showers", 9, 14), new Day("cloudy", 10, 16))),
      new City("New York", "sunny", 22, 15,
          List.of(new Day("sunny", 16, 24), new Day("thunderstorms", 18, 26), new Day("partly cloudy", 17, 23))),
      new City("San Francisco", "foggy", 16, 20,
          List.of(new Day("foggy", 12, 17), new Day("partly cloudy", 12, 19), new Day("sunny", 13, 21))),
      new City("Tokyo", "clear", 20, 8,
          List.of(new Day("clear", 14, 22), new Day("light rain", 15, 19), new Day("cloudy", 13, 20))),
      new City("Mumbai", "humid and hazy", 31, 14,
          List.of(new Day("hazy", 26, 32), new Day("heavy rain", 25, 29), new Day("heavy rain", 25, 28))),
      new City("Berlin", "cloudy", 15, 17,
          List.of(new Day("cloudy", 9, 16), new Day("sunny", 8, 18), new Day("windy", 10, 15))),
      new City("Sydney", "sunny", 24, 22,
          List.of(new Day("sunny", 17, 25), new Day("partly cloudy", 16, 23), new Day("showers", 15, 20))));

  @Override
  public Current current(String city) {
    City c = lookup(city);
    return new Current(c.name(), c.conditions(), c.temperatureC() + " degrees Celsius", c.windKmh() + " km/h");
  }

  @Override
  public Forecast forecast(String city, int days) {
    WeatherSource.requireDays(days);
    City c = lookup(city);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < days; i++) {
      Day d = c.days().get(i);
      if (i > 0) text.append("; ");
      text.append(DAY_NAMES.get(i)).append(' ').append(d.conditions()).append(", ").append(d.lowC()).append(" to ")
          .append(d.highC()).append(" degrees Celsius");
    }
    return new Forecast(c.name(), text.toString());
  }

  private static City lookup(String city) {
    String name = WeatherSource.requireCity(city);
    City c = CITIES.get(name.toLowerCase(Locale.ROOT));
    if (c == null) throw new AgentException(ErrorKind.NOT_FOUND, "weather", "city not found: " + name);
    return c;
  }

  private static Map<String, City> table(City... cities) {
    return Arrays.stream(cities).collect(Collectors.toUnmodifiableMap(c -> c.name().toLowerCase(Locale.ROOT), c -> c));
  }
}
