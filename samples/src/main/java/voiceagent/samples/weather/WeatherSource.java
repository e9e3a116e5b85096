package voiceagent.samples.weather;

/**
 * Where the weather agent's answers come from: {@link OpenMeteoWeather} (the real service) or {@link OfflineWeather}
 * (a fixed table, for offline demos and repeatable tests). Both give the tools the same shapes, so the model sees the
 * same catalog and the same kind of results whichever source runs.
 *
 * <p>A lookup that cannot answer throws {@link IllegalArgumentException} (bad arguments) or
 * {@link voiceagent.common.AgentException} (city not found, timeout, HTTP status, unreadable answer) with a short
 * message the model can read and repeat ("city not found: Atlantis", "weather service timed out after 3000 ms"); the
 * tool executor turns it into an error result.
 *
 * <p>Thread contract: implementations are thread-safe; lookups may block and run on the tools' virtual threads.
 */
public interface WeatherSource {
  /** The number of forecast days a source gives: today, tomorrow and the day after. */
  int MAX_FORECAST_DAYS = 3;

  /** Current conditions in {@code city}. */
  Current current(String city);

  /** The forecast of {@code days} days (1 to {@link #MAX_FORECAST_DAYS}) in {@code city}. */
  Forecast forecast(String city, int days);

  /** Current conditions: what {@code get_weather} answers. Thread contract: immutable. */
  record Current(String city, String conditions, String temperature, String wind) {}

  /** A forecast of one or more days, a clause per day: what {@code get_forecast} answers. Thread contract: immutable. */
  record Forecast(String city, String forecast) {}

  /** The checks every source makes first: a city to look up and a number of days it can give. */
  static String requireCity(String city) {
    if (city == null || city.isBlank()) throw new IllegalArgumentException("city is empty");
    return city.strip().replaceAll("\\s+", " ");
  }

  /** See {@link #requireCity}. */
  static void requireDays(int days) {
    if (days < 1 || days > MAX_FORECAST_DAYS) {
      throw new IllegalArgumentException("days must be 1 to " + MAX_FORECAST_DAYS + ", got " + days);
    }
  }
}
