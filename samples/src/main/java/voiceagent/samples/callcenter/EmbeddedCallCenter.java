package voiceagent.samples.callcenter;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.PulseConfig;
import voiceagent.audio.WavFile;
import voiceagent.common.VertxClock;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.Call;
import voiceagent.core.CallEvent;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.testkit.Emulators;

/**
 * A Java application embedding a call: the weather agent takes one call on a {@link WavCallTransport} (an application
 * plugs in its own media), the caller's question comes in typed, and the agent's speech is printed as it plays and
 * recorded to {@code call.wav} in the temporary directory. With {@code SMALLEST_API_KEY} it talks to Pulse, Electron
 * (over Open-Meteo's weather) and Lightning; without, the built-in emulators answer from the offline weather table.
 */
public final class EmbeddedCallCenter {
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    ConfigTree config = ConfigTree.load(null, System.getenv());
    ElectronConfig electron = ElectronConfig.from(config.section("electron"));
    boolean offline = electron.apiKey() == null;
    VoiceAgent.Builder builder = VoiceAgent.builder(vertx, WeatherAgent.config(config, offline));
    if (offline) { // no SMALLEST_API_KEY: the built-in Pulse, Electron and Lightning emulators answer
      Emulators emulators = Emulators.start(vertx).await();
      builder.emulators(emulators.electron().baseUrl(), emulators.pulse().baseUrl(), emulators.lightning().baseUrl());
    } else {
      builder.electron(electron).pulse(PulseConfig.from(config.section("pulse")))
          .lightning(LightningConfig.from(config.section("lightning")));
    }
    try (VoiceAgent agent = builder.start().await()) {
      WavCallTransport line = WavCallTransport.create(VertxClock.INSTANCE, List.of(), -1); // no caller audio
      Call call = agent.startCall(line);
      call.sendText(args.length > 0 ? String.join(" ", args) : "What's the weather in Paris?");
      call.events().doOnNext(line::onEvent).ofType(CallEvent.SpeechPlayed.class).toIterable()
          .forEach(speech -> System.out.println(speech.text())); // ends when the caller hangs up after the reply
      Path wav = Path.of(System.getProperty("java.io.tmpdir"), "call.wav");
      WavFile.write(wav, WavCallTransport.RECORDING_FORMAT, line.recording().join());
      System.err.println("recorded both sides to " + wav);
    } finally {
      vertx.close().await();
    }
  }
}
