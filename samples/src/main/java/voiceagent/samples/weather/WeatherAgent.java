package voiceagent.samples.weather;

import java.time.Duration;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.AgentConfig;
import voiceagent.tools.ToolRegistry;

/**
 * The weather agent of the demo: a phone assistant that answers with {@link WeatherTools} over Open-Meteo or, offline,
 * a fixed table. Its system prompt holds no names, dates or ids, so that it is byte-identical on every request of
 * every call (Electron's prefix cache), whichever source answers.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class WeatherAgent {
  static final String SYSTEM_PROMPT = """
      You are a weather assistant answering phone calls. Use get_weather for current conditions and get_forecast \
      for the coming days; never guess the weather. Reply in one or two short spoken sentences, without markdown, \
      lists or symbols. If a city is unknown, say so and ask for another city. When the caller says goodbye, say a \
      short goodbye and call end_call.""";

  private WeatherAgent() {}

  /** The agent answering from the offline table: repeatable answers, no network (tests, offline runs). */
  public static AgentConfig config() {
    return config(new OfflineWeather(), Duration.ofMillis(WeatherConfig.DEFAULT_TIMEOUT_MILLIS));
  }

  /**
   * The agent as configured by the {@code weather:} section of {@code root}; {@code offline} forces the offline table
   * (the demo without {@code SMALLEST_API_KEY}, or with {@code --emulator}).
   */
  public static AgentConfig config(ConfigTree root, boolean offline) {
    WeatherConfig weather = WeatherConfig.from(root.section("weather"));
    return config(offline ? weather.withSource(WeatherConfig.Source.OFFLINE) : weather);
  }

  /** The agent over the source {@code weather} names. */
  public static AgentConfig config(WeatherConfig weather) {
    WeatherSource source = switch (weather.source()) {
      case OPEN_METEO -> new OpenMeteoWeather(weather);
      case OFFLINE -> new OfflineWeather();
    };
    return config(source, Duration.ofMillis(weather.timeoutMillis()));
  }

  /** The prompt above, the weather tools over {@code source}, and temperature 0 for repeatable answers. */
  public static AgentConfig config(WeatherSource source, Duration lookupTimeout) {
    return AgentConfig.builder(SYSTEM_PROMPT)
        .tools(ToolRegistry.of(WeatherTools.of(source, lookupTimeout)))
        .temperature(0.0)
        .build();
  }
}
