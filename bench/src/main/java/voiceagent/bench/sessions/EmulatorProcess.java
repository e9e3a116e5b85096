package voiceagent.bench.sessions;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Collections;
import voiceagent.testkit.Emulators;
import voiceagent.testkit.LightningEmulatorOptions;
import voiceagent.testkit.PulseEmulatorOptions;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * The benchmark's far side in its own JVM, so that the runtime's process CPU and heap are the runtime's alone: Pulse,
 * Electron and Lightning emulators with zero delays (Lightning sends as fast as it renders a {@link ToneSpeech}).
 * Prints {@code ready ELECTRON PULSE LIGHTNING} (base URLs) and exits when its standard input closes.
 *
 * <p>Args: {@code UTTERANCES} — how many caller utterances Pulse transcribes (each as {@link #CALLER_SAYS}).
 */
public final class EmulatorProcess {
  static final String CALLER_SAYS = "Hello there";

  private EmulatorProcess() {}

  public static void main(String[] args) throws IOException {
    int utterances = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Emulators e = Emulators.start(vertx, PulseEmulatorOptions.defaults(),
        ElectronEmulatorOptions.defaults().withConcurrencyLimit(1_000_000),
        LightningEmulatorOptions.defaults().withSynthesizer(new ToneSpeech()).withRealTimeFactor(0)
            .withChunkBytes(3200)).await();
    e.pulse().expectUtterances(Collections.nCopies(utterances, CALLER_SAYS).toArray(String[]::new));
    System.out.println("ready " + e.electron().baseUrl() + " " + e.pulse().baseUrl() + " " + e.lightning().baseUrl());
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the benchmark closes the pipe
    }
    vertx.close().await();
  }
}
