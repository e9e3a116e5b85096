package voiceagent.samples.weather;

import java.net.URI;
import java.util.Locale;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;

/**
 * The {@code weather:} section of {@code voice-agent.yaml}: which source answers and how to reach Open-Meteo.
 *
 * <p>Thread contract: immutable.
 *
 * @param source       where answers come from: {@code open-meteo} (default) or {@code offline} (the fixed table)
 * @param geocodingUrl Open-Meteo's geocoding search endpoint (env {@code OPEN_METEO_GEOCODING_URL})
 * @param forecastUrl  Open-Meteo's forecast endpoint (env {@code OPEN_METEO_FORECAST_URL})
 * @param timeoutMillis deadline of one whole lookup (geocoding, then forecast); past it the tool answers
 *                      "weather service timed out after N ms"
 */
public record WeatherConfig(Source source, String geocodingUrl, String forecastUrl, long timeoutMillis) {

  /** Which {@link WeatherSource} answers. */
  public enum Source {
    OPEN_METEO("open-meteo"),
    OFFLINE("offline");

    private final String key;

    Source(String key) {
      this.key = key;
    }

    /** The value as written in the configuration. */
    public String key() {
      return key;
    }
  }

  public static final String DEFAULT_GEOCODING_URL = "https://geocoding-api.open-meteo.com/v1/search";
  public static final String DEFAULT_FORECAST_URL = "https://api.open-meteo.com/v1/forecast";
  /** Two requests of about 100 ms each normally; four seconds covers a slow network before a caller gives up. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 4000;

  public WeatherConfig {
    if (source == null) throw AgentException.config("weather.source", null, "expected open-meteo or offline");
    geocodingUrl = httpUrl("weather.geocoding_url", geocodingUrl);
    forecastUrl = httpUrl("weather.forecast_url", forecastUrl);
    if (timeoutMillis < 1 || timeoutMillis > 60_000) {
      throw AgentException.config("weather.timeout_ms", timeoutMillis, "expected 1..60000");
    }
  }

  /** Open-Meteo at its public URLs with the default timeout. */
  public static WeatherConfig defaults() {
    return new WeatherConfig(Source.OPEN_METEO, DEFAULT_GEOCODING_URL, DEFAULT_FORECAST_URL, DEFAULT_TIMEOUT_MILLIS);
  }

  /** Reads the {@code weather} section; absent keys take the defaults. */
  public static WeatherConfig from(ConfigTree weather) {
    String source = weather.string("source", Source.OPEN_METEO.key()).strip().toLowerCase(Locale.ROOT);
    Source parsed = switch (source) {
      case "open-meteo" -> Source.OPEN_METEO;
      case "offline" -> Source.OFFLINE;
      default -> throw AgentException.config("weather.source", source, "expected open-meteo or offline");
    };
    return new WeatherConfig(parsed, weather.string("geocoding_url", DEFAULT_GEOCODING_URL),
        weather.string("forecast_url", DEFAULT_FORECAST_URL),
        weather.longValue("timeout_ms", DEFAULT_TIMEOUT_MILLIS));
  }

  /** The same settings with another source (the demo forces {@link Source#OFFLINE} when it runs offline). */
  public WeatherConfig withSource(Source newSource) {
    return new WeatherConfig(newSource, geocodingUrl, forecastUrl, timeoutMillis);
  }

  private static String httpUrl(String key, String url) {
    String trimmed = url == null ? "" : url.strip();
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw AgentException.config(key, url, "not a URL");
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw AgentException.config(key, url, "expected an http:// or https:// URL");
    }
    return trimmed;
  }
}
