package voiceagent.samples.weather;

import voiceagent.core.AgentConfig;
import voiceagent.tools.ToolRegistry;
import voiceagent.tools.Tools;

/**
 * The weather agent of the demo: a phone assistant that answers with {@link WeatherTools}. Its system prompt holds no
 * names, dates or ids, so that it is byte-identical on every request of every call (Electron's prefix cache).
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class WeatherAgent {
  static final String SYSTEM_PROMPT = """
      You are a weather assistant answering phone calls. Use get_weather for current conditions and get_forecast \
      for the coming days; never guess the weather. Reply in one or two short spoken sentences, without markdown, \
      lists or symbols. If a city is unknown, say so and ask for another city.""";

  private WeatherAgent() {}

  /** The agent's configuration: the prompt above, the weather tools, and temperature 0 for repeatable answers. */
  public static AgentConfig config() {
    return AgentConfig.builder(SYSTEM_PROMPT)
        .tools(ToolRegistry.of(Tools.fromObject(new WeatherTools())))
        .temperature(0.0)
        .build();
  }
}
