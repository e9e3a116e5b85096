package voiceagent.samples.weather;

import java.util.Map;

/**
 * Open-Meteo's {@code weather_code} values (WMO code table 4677, the subset the API documents) as the words a caller
 * hears. Intensities are folded into plain adjectives ("light rain", "heavy snow").
 *
 * <p>Thread contract: stateless, thread-safe.
 */
final class WmoCodes {
  private static final Map<Integer, String> WORDS = Map.ofEntries(
      Map.entry(0, "clear sky"),
      Map.entry(1, "mainly clear"),
      Map.entry(2, "partly cloudy"),
      Map.entry(3, "overcast"),
      Map.entry(45, "fog"),
      Map.entry(48, "freezing fog"),
      Map.entry(51, "light drizzle"),
      Map.entry(53, "drizzle"),
      Map.entry(55, "heavy drizzle"),
      Map.entry(56, "light freezing drizzle"),
      Map.entry(57, "freezing drizzle"),
      Map.entry(61, "light rain"),
      Map.entry(63, "rain"),
      Map.entry(65, "heavy rain"),
      Map.entry(66, "light freezing rain"),
      Map.entry(67, "freezing rain"),
      Map.entry(71, "light snow"),
      Map.entry(73, "snow"),
      Map.entry(75, "heavy snow"),
      Map.entry(77, "snow grains"),
      Map.entry(80, "light rain showers"),
      Map.entry(81, "rain showers"),
      Map.entry(82, "violent rain showers"),
      Map.entry(85, "light snow showers"),
      Map.entry(86, "heavy snow showers"),
      Map.entry(95, "thunderstorms"),
      Map.entry(96, "thunderstorms with light hail"),
      Map.entry(99, "thunderstorms with heavy hail"));

  private WmoCodes() {}

  /** The words for {@code code}; a code outside the table still gives an honest phrase rather than a number. */
  static String words(int code) {
    return WORDS.getOrDefault(code, "unsettled weather");
  }
}
