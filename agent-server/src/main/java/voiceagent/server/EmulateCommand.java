package voiceagent.server;

import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import voiceagent.server.internal.load.EmulatorSet;

/**
 * {@code voice-agent emulate}: the Pulse, Electron and Lightning emulators alone on loopback, so a server pointed at
 * them (the printed {@code export} lines, a contract) spends its CPU on calls, not on emulating its upstreams. The
 * delays default to realistic service timings; {@code 0} makes a service answer as fast as it can. Runs until Ctrl-C
 * (SIGINT/SIGTERM) or {@link #shutdown()}. Exit 0 after a clean stop, 2 on bad options, 1 when a port is taken
 * ({@link CliErrors}).
 */
@Command(name = "emulate", mixinStandardHelpOptions = true,
    description = {"Run the Pulse, Electron and Lightning emulators on loopback and print the variables that point",
        "a server at them (eval them, or paste them before `voice-agent serve`). Ctrl-C stops them."})
public final class EmulateCommand implements Callable<Integer> {

  @Option(names = "--port", paramLabel = "P", defaultValue = "0",
      description = "Pulse listens on P, Electron on P+1, Lightning on P+2 (default: free ports).")
  int port;

  @Option(names = "--ttft-ms", paramLabel = "MS", defaultValue = "200",
      description = "Electron: request to first token (default: ${DEFAULT-VALUE}).")
  long ttftMillis;

  @Option(names = "--stt-final-ms", paramLabel = "MS", defaultValue = "150",
      description = "Pulse: delay of each transcript, so finalize to final (default: ${DEFAULT-VALUE}).")
  long sttFinalMillis;

  @Option(names = "--tts-first-audio-ms", paramLabel = "MS", defaultValue = "150",
      description = "Lightning: flush to first audio (default: ${DEFAULT-VALUE}).")
  long ttsFirstAudioMillis;

  /** Whether {@link #call} installs a JVM shutdown hook for Ctrl-C; tests call {@link #shutdown()} instead. */
  boolean installShutdownHook = true;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Vertx vertx;
  private volatile EmulatorSet emulators;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EmulatorSet.Timings timings;
    try {
      timings = new EmulatorSet.Timings(ttftMillis, sttFinalMillis, ttsFirstAudioMillis, port);
    } catch (IllegalArgumentException e) {
      throw CliFailure.badInput("emulate options", e.getMessage(), "give delays of 0 ms or more and a port below 65534");
    }
    vertx = Vertx.vertx();
    try {
      emulators = EmulatorSet.start(vertx, timings).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw CliFailure.runtime(port == 0 ? "emulators" : "ports " + port + "-" + (port + 2),
          "cannot listen (" + e.getMessage() + ")", "free the ports or pass another --port");
    }
    if (installShutdownHook) {
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("voice-agent-emulate-stop").unstarted(this::shutdown));
    }
    out.print(emulators.exports());
    out.flush();
    err.println("emulate: TTFT " + ttftMillis + " ms, STT final " + sttFinalMillis + " ms, TTS first audio "
        + ttsFirstAudioMillis + " ms; Ctrl-C stops. A server under load also wants ELECTRON_MAX_CONCURRENCY raised "
        + "(the emulated Electron has no cap).");
    err.flush();
    stopped.await();
    return 0;
  }

  /** Closes the emulators and their Vert.x; returns when they are closed. Idempotent. */
  public void shutdown() {
    if (stopped.getCount() == 0) return;
    try {
      if (emulators != null) emulators.close().await();
      if (vertx != null) vertx.close().await();
    } finally {
      stopped.countDown();
    }
  }
}
