package voiceagent.server;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningStream;
import voiceagent.audio.WavFile;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.VertxClock;
import voiceagent.core.Agent;
import voiceagent.core.AgentEvent;
import voiceagent.core.Conversation;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.ElectronConfig;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.testkit.LightningEmulator;
import voiceagent.testkit.LightningEmulatorOptions;

/**
 * {@code voice-agent demo}: talk to the weather agent. By default a web page to talk to it in the browser
 * ({@link WebDemoRun}); with {@code --script} (implied by {@code --say}, {@code --interactive}, {@code --json} and
 * {@code --audio-out}) a short phone conversation through the turn engine, printed as a transcript
 * ({@code caller: …}, {@code agent: …}; tool calls on stderr) and a summary line. Without {@code SMALLEST_API_KEY}
 * (or with {@code --emulator}) it runs offline on the built-in emulators. Exit 0 when every turn succeeded (or the
 * web demo stopped cleanly), 1 when one failed, 2 on a usage or configuration error.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Talk to the weather agent in your browser: serves the demo page and prints its address.",
        "--script runs the scripted three-turn text call instead (or --say your own question).",
        "Offline on the built-in emulators unless SMALLEST_API_KEY is set."})
final class DemoCommand implements Callable<Integer> {
  static final List<String> SCRIPT = List.of(
      "Hi, what's the weather in Paris?",
      "And the forecast for Tokyo for the next two days?",
      "Thanks, bye.");
  /** Lightning's native rate closest to wideband telephony that still sounds natural on a laptop. */
  private static final int SAMPLE_RATE = 24_000;
  /** Generous: the service answers in about 200 ms, the emulator's first FreeTTS load takes about a second. */
  private static final long AUDIO_TIMEOUT_SECONDS = 60;

  @Option(names = "--script", description = "Print the scripted text call instead of serving the web page.")
  boolean script;

  @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
      description = "Port of the web demo on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--say", paramLabel = "TEXT",
      description = "Ask one question instead of the scripted call (implies --script).")
  String say;

  @Option(names = "--interactive", description = "Read the caller's lines from stdin (after --say, if given).")
  boolean interactive;

  @Option(names = "--json", description = "Print one JSON object per event line on stdout (logs go to stderr).")
  boolean json;

  @Option(names = "--audio-out", paramLabel = "DIR",
      description = "Speak each agent reply with Lightning into DIR/turn-N.wav (24 kHz).")
  Path audioOut;

  @Option(names = "--emulator", description = "Use the built-in emulators even when SMALLEST_API_KEY is set.")
  boolean emulator;

  /** The environment the configuration is read from; tests replace it. */
  Map<String, String> env = System.getenv();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where --interactive reads questions from; tests replace it. */
  java.io.InputStream stdin = System.in;

  /** Completed to stop the web demo: by the Ctrl-C hook, or by a test. */
  java.util.concurrent.CompletableFuture<Void> stop = new java.util.concurrent.CompletableFuture<>();

  private ChatOutput output;
  private final DemoTally tally = new DemoTally();
  private LightningStream speech;
  private SpeechRecorder recorder;

  @Override
  public Integer call() throws Exception {
    if (!(script || say != null || interactive || json || audioOut != null)) {
      return new WebDemoRun(spec.commandLine().getOut(), spec.commandLine().getErr(), env).run(port, emulator, stop);
    }
    output = new ChatOutput(spec.commandLine().getOut(), spec.commandLine().getErr(), json, "agent: ");
    if (say != null && say.isBlank()) {
      throw CliFailure.badInput("--say", "is empty", "give the caller's question, e.g. --say \"Weather in Oslo?\"");
    }
    if (audioOut != null) CliFiles.requireFolder("--audio-out", audioOut);
    Vertx vertx = Vertx.vertx();
    try {
      ConfigTree tree = ConfigTree.load(null, env);
      ElectronConfig electron = ElectronConfig.from(tree.section("electron"));
      boolean offline = emulator || electron.apiKey() == null;
      if (offline) {
        spec.commandLine().getErr().println("demo: " + (emulator ? "--emulator given" : "SMALLEST_API_KEY is not set")
            + "; running offline on the built-in "
            + (audioOut != null ? "Electron and Lightning emulators" : "Electron emulator"));
        electron = ChatCommand.onEmulator(vertx, electron);
        output.costEstimate("emulator");
        tally.costEstimate("emulator");
      }
      if (audioOut != null) openSpeech(vertx, LightningConfig.from(tree.section("lightning")), offline);
      try (Agent agent = Agent.builder(vertx, WeatherAgent.config(tree, offline)).electron(electron)
          .prices(ChatCommand.prices(tree)).start().await()) {
        boolean ok = converse(agent.newConversation("demo", Map.of()));
        output.note(tally.json(), tally.text());
        return ok ? 0 : 1;
      }
    } catch (AgentException e) {
      if (json) output.error(e); // a JSON reader sees the failure as the last line too
      throw e;
    } finally {
      if (speech != null) speech.close().await(); // before Vert.x closes: no reconnect attempt against a closed client
      vertx.close().await();
    }
  }

  private boolean converse(Conversation conversation) throws Exception {
    int[] turn = {0};
    if (!interactive) {
      boolean ok = true;
      for (String line : say != null ? List.of(say) : SCRIPT) ok &= turn(conversation, line, ++turn[0]);
      return ok;
    }
    boolean firstOk = say == null || turn(conversation, say, ++turn[0]);
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    boolean restOk = TurnPrinter.readLoop(in, json ? null : spec.commandLine().getErr(), line -> turn(conversation, line, ++turn[0]));
    return firstOk && restOk;
  }

  /** One caller line: prints it, runs the turn, and with {@code --audio-out} speaks the reply into a file. */
  private boolean turn(Conversation conversation, String text, int n) {
    output.note(ChatOutput.event("caller").put("turn", n).put("text", text), "caller: " + text);
    SpeechRecorder.Take take = speech == null ? null : recorder.begin(speech, "turn-" + n);
    boolean ok = TurnPrinter.run(conversation, text, output, event -> {
      tally.add(event);
      if (take != null && event instanceof AgentEvent.SpeechReady s) take.append(s.text());
    });
    if (take != null) writeAudio(take, n);
    return ok;
  }

  private void openSpeech(Vertx vertx, LightningConfig config, boolean offline) {
    if (offline) {
      LightningEmulator emu = LightningEmulator.start(vertx, LightningEmulatorOptions.defaults()).await();
      config = config.withBaseUrl(emu.baseUrl()).withApiKey(null); // a real key never goes to the emulator
    }
    recorder = new SpeechRecorder();
    // Opened before the first turn, as a call session pre-warms its socket; reused turn after turn.
    speech = LightningClient.create(vertx, config, VertxClock.INSTANCE).open(SAMPLE_RATE, recorder).await();
  }

  private void writeAudio(SpeechRecorder.Take take, int n) {
    try {
      SpeechRecorder.Recording recording = take.finish(AUDIO_TIMEOUT_SECONDS);
      Path file = audioOut.resolve("turn-" + n + ".wav");
      WavFile.write(file, AudioFormat.PCM16_24K, recording.pcm());
      long millis = recording.pcm().length * 1000L / AudioFormat.PCM16_24K.bytesFor(1000);
      output.note(ChatOutput.event("audio").put("turn", n).put("file", file.toString()).put("ms", millis),
          String.format(Locale.ROOT, "audio: %s, %.2f s", file, millis / 1000.0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(ErrorKind.CANCELLED, "lightning", "interrupted while waiting for turn " + n, e);
    }
  }
}
