package voiceagent.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.PulseConfig;
import voiceagent.audio.WavFile;
import voiceagent.common.AgentException;
import voiceagent.common.VertxClock;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.Call;
import voiceagent.core.CallEvent;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.config.SessionConfig;
import voiceagent.samples.callcenter.WavCallTransport;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.samples.weather.WeatherTools;
import voiceagent.testkit.Emulators;
import voiceagent.testkit.FreeTtsSynthesizer;

/**
 * {@code voice-agent call}: a whole phone call with the weather agent from WAV files — the caller's utterances go in
 * one turn after another through a call session on the telephony path (μ-law 8 kHz), both sides come out as one
 * stereo WAV (caller left, agent right), and each turn's latency is printed. Exit 0 when the call ended normally,
 * 1 when it failed, 2 for bad input.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
    description = {"Plays caller utterances (WAV) into a call with the weather agent, turn after turn, and records "
        + "both sides into one stereo WAV (caller left, agent right), printing each turn's latency.",
        "Offline on the built-in Pulse, Electron and Lightning emulators with --emulator."})
final class CallCommand implements Callable<Integer> {
  /** Past the audio itself: each reply's generation and playback, and the hang-up. */
  private static final long SLACK_SECONDS_PER_TURN = 60;

  @Spec CommandSpec spec;

  @Option(names = "--in", paramLabel = "FILE.wav", required = true,
      description = "A caller utterance (mono WAV: 16-bit PCM, μ-law or A-law); repeat for the next turns.")
  List<Path> in;

  @Option(names = "--out", paramLabel = "FILE.wav", required = true,
      description = "Where to write the conversation: 16-bit stereo, 8 kHz, caller left, agent right.")
  Path out;

  @Option(names = "--emulator", description = "Answer with the built-in Pulse, Electron (weather agent) and "
      + "Lightning emulators instead of the services.")
  boolean emulator;

  @Option(names = "--text", paramLabel = "TEXT", description = {"With --emulator: what the next --in says (repeat "
      + "in order); the emulated Pulse reports it as the transcript. Without it a segment reads \"[speech 1.2 s]\"."})
  List<String> texts = List.of();

  @Option(names = "--barge-in-at", paramLabel = "SECONDS", description = "Start each utterance after the first "
      + "SECONDS after the agent began its previous reply, talking over it.")
  Double bargeInAt;

  @Option(names = "--json", description = "Print one JSON object per turn (and one for the call's end).")
  boolean json;

  /** The environment the configuration is read from; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (bargeInAt != null && !(bargeInAt >= 0 && bargeInAt <= 600)) {
      return usage(err, "--barge-in-at=" + bargeInAt + ": expected seconds between 0 and 600");
    }
    if (!texts.isEmpty() && !emulator) return usage(err, "--text: only the emulated Pulse takes scripted transcripts; "
        + "add --emulator or drop --text");
    Path outDir = out.toAbsolutePath().getParent();
    if (outDir == null || !Files.isDirectory(outDir)) {
      return usage(err, "--out=" + out + ": no such directory " + outDir + "; create it or choose another path");
    }
    List<byte[]> utterances = new ArrayList<>();
    long audioMillis = 0;
    for (Path file : in) {
      if (!Files.isReadable(file)) return usage(err, "--in=" + file + ": no such readable file; check the path");
      try {
        byte[] audio = WavCallTransport.callerAudio(WavFile.read(file));
        utterances.add(audio);
        audioMillis += WavCallTransport.FORMAT.millisFor(audio.length);
      } catch (AgentException e) {
        return usage(err, "--in=" + file + ": " + e.getMessage() + "; give a mono 16-bit PCM, μ-law or A-law WAV");
      }
    }
    ConfigTree tree;
    try {
      tree = ConfigTree.load(null, env);
      if (!emulator && ElectronConfig.from(tree.section("electron")).apiKey() == null) {
        return usage(err, PulseConfig.ENV_API_KEY + " is not set: export " + PulseConfig.ENV_API_KEY
            + "=sk_... (your Smallest AI key), or run with --emulator");
      }
    } catch (AgentException e) {
      return usage(err, e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    try {
      return converse(vertx, tree, utterances, audioMillis);
    } catch (AgentException e) {
      err.println("error: call: " + e.getMessage() + "; check the service settings, or run with --emulator");
      err.flush();
      return 1;
    } finally {
      vertx.close().await();
    }
  }

  private int converse(Vertx vertx, ConfigTree tree, List<byte[]> utterances, long audioMillis) throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    SessionConfig session = SessionConfig.from(tree.section("session"));
    if (session.hangUpTool() == null) session = session.withHangUpTool(WeatherTools.END_CALL);
    VoiceAgent.Builder builder = VoiceAgent.builder(vertx, WeatherAgent.config(tree, emulator)).session(session);
    if (emulator) {
      // FreeTTS loads its voice on first use (about a second): before the call, not inside the first reply.
      Future<?> voice = vertx.executeBlocking(() -> FreeTtsSynthesizer.shared().synthesize("Hello."));
      Emulators emulators = Emulators.start(vertx).await();
      voice.await();
      emulators.pulse().expectUtterances(texts.toArray(String[]::new));
      builder.emulators(emulators.electron().baseUrl(), emulators.pulse().baseUrl(), emulators.lightning().baseUrl());
    } else {
      builder.electron(ElectronConfig.from(tree.section("electron")))
          .pulse(PulseConfig.from(tree.section("pulse"))).lightning(LightningConfig.from(tree.section("lightning")));
    }
    long bargeInMillis = bargeInAt == null ? -1 : Math.round(bargeInAt * 1000);
    WavCallTransport line = WavCallTransport.create(VertxClock.INSTANCE, utterances, bargeInMillis);
    CallTimeline timeline = new CallTimeline(new ChatOutput(spec.commandLine().getOut(), err, json), () -> {
      List<WavCallTransport.Utterance> played = line.utterances();
      return played.isEmpty() ? -1 : played.getLast().agentStoppedMillis();
    });
    try (VoiceAgent agent = builder.start().await()) {
      Call call = agent.startCall(line);
      long budget = audioMillis / 1000 + SLACK_SECONDS_PER_TURN * (utterances.size() + 1);
      call.events().doOnNext(line::onEvent).doOnNext(timeline::accept).timeout(Duration.ofSeconds(budget))
          .onErrorComplete().blockLast();
      CallEvent.CallEnded end = timeline.ended();
      if (end == null) {
        err.println("error: call: no end after " + budget + " s; the call was hung up (see the log on stderr)");
        call.hangUp();
      }
      byte[] both = line.recording().get(10, TimeUnit.SECONDS);
      WavFile.write(out, WavCallTransport.RECORDING_FORMAT, both);
      err.println(String.format(Locale.ROOT, "call: wrote %s (%.1f s, stereo: caller left, agent right)", out,
          WavCallTransport.RECORDING_FORMAT.millisFor(both.length) / 1000.0));
      err.flush();
      return end != null && !end.reason().startsWith("failed") ? 0 : 1;
    }
  }

  private static int usage(PrintWriter err, String message) {
    err.println("error: " + message);
    err.flush();
    return 2;
  }
}
