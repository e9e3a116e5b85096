package voiceagent.samples.callcenter;

import io.vertx.core.Vertx;
import java.util.Map;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.Agent;
import voiceagent.core.AgentEvent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * A Java application embedding the runtime: one weather question, answered by Electron with Open-Meteo's weather or,
 * without a key, by the Electron emulator from the offline weather table.
 */
public final class EmbeddedCallCenter {
  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    ConfigTree config = ConfigTree.load(null, System.getenv());
    ElectronConfig electron = ElectronConfig.from(config.section("electron"));
    boolean offline = electron.apiKey() == null;
    if (offline) { // no SMALLEST_API_KEY: the built-in Electron emulator answers, from the offline weather table
      ElectronEmulator emulator = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults()).await();
      electron = electron.withBaseUrl(emulator.baseUrl());
    }
    try (Agent agent = Agent.builder(vertx, WeatherAgent.config(config, offline)).electron(electron).start().await()) {
      String question = args.length > 0 ? String.join(" ", args) : "What's the weather in Paris?";
      agent.newConversation("call-1", Map.of()).send(question).ofType(AgentEvent.SpeechReady.class)
          .toIterable().forEach(speech -> System.out.println(speech.text()));
    } finally {
      vertx.close().await();
    }
  }
}
