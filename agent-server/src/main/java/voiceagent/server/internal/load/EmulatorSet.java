package voiceagent.server.internal.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import voiceagent.testkit.CachingSynthesizer;
import voiceagent.testkit.FreeTtsSynthesizer;
import voiceagent.testkit.LightningEmulator;
import voiceagent.testkit.LightningEmulatorOptions;
import voiceagent.testkit.PulseEmulator;
import voiceagent.testkit.PulseEmulatorOptions;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * The three upstream emulators of {@code voice-agent emulate}, set up for long runs under load: Pulse transcribes
 * every caller's speech as the next of a few weather questions (so the weather agent looks up the weather and answers,
 * as in a real call), Electron is the rule-based model with no concurrency cap (the server's governor is the limit
 * under test), Lightning speaks each distinct line once with FreeTTS and reuses it, and none of them records traffic.
 *
 * <p>Thread contract: immutable; the emulators are thread-safe.
 */
public record EmulatorSet(PulseEmulator pulse, ElectronEmulator electron, LightningEmulator lightning) {

  /** What Pulse "hears", connection by connection: questions the weather agent answers with a tool call. */
  static final String[] QUESTIONS = {"what is the weather in paris", "and the forecast for tomorrow",
      "how about london", "what is the weather in tokyo"};

  /**
   * Realistic service timings.
   *
   * @param ttftMillis          Electron: request to first token
   * @param sttFinalMillis      Pulse: delay of every transcript, so the final arrives this long after the finalize
   * @param ttsFirstAudioMillis Lightning: flush to first audio chunk
   * @param basePort            Pulse on it, Electron on +1, Lightning on +2; 0 for free ports
   */
  public record Timings(long ttftMillis, long sttFinalMillis, long ttsFirstAudioMillis, int basePort) {
    public Timings {
      if (ttftMillis < 0 || sttFinalMillis < 0 || ttsFirstAudioMillis < 0) {
        throw new IllegalArgumentException("delays must be >= 0 ms: ttft " + ttftMillis + ", stt final "
            + sttFinalMillis + ", tts first audio " + ttsFirstAudioMillis);
      }
      if (basePort < 0 || basePort > 65533) throw new IllegalArgumentException("port " + basePort + " is out of range");
    }
  }

  public static Future<EmulatorSet> start(Vertx vertx, Timings t) {
    int p = t.basePort();
    Future<PulseEmulator> pulse = PulseEmulator.start(vertx,
        PulseEmulatorOptions.defaults().withLatencyMillis(t.sttFinalMillis()), p)
        .map(e -> e.repeatUtterances(QUESTIONS).recording(false));
    Future<ElectronEmulator> electron = ElectronEmulator.start(vertx,
        ElectronEmulatorOptions.defaults().withConcurrencyLimit(Integer.MAX_VALUE), p == 0 ? 0 : p + 1)
        .map(e -> e.firstTokenDelay(Duration.ofMillis(t.ttftMillis())).recording(false));
    Future<LightningEmulator> lightning = LightningEmulator.start(vertx, LightningEmulatorOptions.defaults()
        .withSynthesizer(new CachingSynthesizer(FreeTtsSynthesizer.shared(), 4096)), p == 0 ? 0 : p + 2)
        .map(e -> {
          e.firstAudioDelay(t.ttsFirstAudioMillis());
          e.recording(false);
          return e;
        });
    return Future.all(pulse, electron, lightning)
        .map(all -> new EmulatorSet(pulse.result(), electron.result(), lightning.result()))
        .onFailure(e -> {
          if (pulse.succeeded()) pulse.result().close();
          if (electron.succeeded()) electron.result().close();
          if (lightning.succeeded()) lightning.result().close();
        });
  }

  /** The lines that point a server at these emulators. */
  public String exports() {
    return "export PULSE_BASE_URL=" + pulse.baseUrl() + "\n"
        + "export ELECTRON_BASE_URL=" + electron.baseUrl() + "\n"
        + "export LIGHTNING_BASE_URL=" + lightning.baseUrl() + "\n";
  }

  public Future<Void> close() {
    return Future.join(pulse.close(), electron.close(), lightning.close()).mapEmpty();
  }
}
