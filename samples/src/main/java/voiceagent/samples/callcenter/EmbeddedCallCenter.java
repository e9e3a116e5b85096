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

/** A Java application embedding the runtime: one weather call, answered by Electron or, without a key, the emulator. */
public final class EmbeddedCallCenter {
  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    ElectronConfig electron = ElectronConfig.from(ConfigTree.load(null, System.getenv()).section("electron"));
    if (electron.apiKey() == null) { // no SMALLEST_API_KEY: the built-in Electron emulator answers, offline
      ElectronEmulator emulator = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults()).await();
      electron = electron.withBaseUrl(emulator.baseUrl());
    }
    try (Agent agent = Agent.builder(vertx, WeatherAgent.config()).electron(electron).start().await()) {
      String question = args.length > 0 ? String.join(" ", args) : "What's the weather in Paris?";
      agent.newConversation("call-1", Map.of()).send(question).ofType(AgentEvent.SpeechReady.class)
          .toIterable().forEach(speech -> System.out.println(speech.text()));
    } finally {
      vertx.close().await();
    }
  }
}
