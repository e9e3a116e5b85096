package voiceagent.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import voiceagent.common.config.ConfigTree;
import voiceagent.audio.AudioConverter;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.PulseClient;
import voiceagent.audio.PulseConfig;
import voiceagent.audio.PulseEvent;
import voiceagent.audio.PulseStream;
import voiceagent.audio.WavFile;
import voiceagent.common.AgentException;
import voiceagent.common.VertxClock;
import voiceagent.testkit.PulseEmulator;
import voiceagent.testkit.PulseEmulatorOptions;

/**
 * {@code voice-agent transcribe FILE.wav}: streams a WAV file through Pulse (or the in-process emulator) at real time
 * or faster and prints the transcripts as they arrive; says so on stderr when the file held no speech, and reports
 * the progress of a long file on stderr. Exit status 0 on success, 1 when the stream failed, 2 for bad input (file,
 * format, missing key).
 */
@Command(name = "transcribe", mixinStandardHelpOptions = true,
    description = {"Streams FILE.wav through Pulse speech-to-text and prints partial and final transcripts.",
        "Reads SMALLEST_API_KEY and PULSE_BASE_URL (default wss://api.smallest.ai) from the environment.",
        "Accepted files: 16-bit PCM, μ-law or A-law WAV, mono. Rates Pulse does not take are resampled to 16 kHz."})
public final class TranscribeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Audio is fed in 20 ms pieces, like a telephony carrier delivers it. */
  private static final int CHUNK_MILLIS = 20;
  /** Files at least this long report their progress on stderr: a minute at real time is long to wait in silence. */
  static final long PROGRESS_FROM_MILLIS = 30_000;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.wav", description = "the audio to transcribe")
  Path file;

  @Option(names = "--emulator", description = "use the in-process Pulse emulator instead of the real service")
  boolean emulator;

  @Option(names = "--hint", paramLabel = "TEXT", description = {"with --emulator: the transcript of the next speech "
      + "segment (repeat for several). Without hints the emulator reports each segment as \"[speech 1.2 s]\"."})
  List<String> hints = List.of();

  @Option(names = "--speed", defaultValue = "1", description = "1 = real time (default), 2 = twice as fast, "
      + "0 = as fast as possible")
  double speed;

  @Option(names = "--json", description = "print one JSON object per event")
  boolean json;

  @Option(names = "--language", defaultValue = "en", description = "Pulse language code (default: en)")
  String language;

  /** The environment; a field so tests can give their own. */
  Map<String, String> env = System.getenv();

  /** Set on the loop when the stream reports a failure; read after {@code done} completes. */
  private volatile boolean failed;
  /** Set on the loop when a final transcript has words; read after {@code done} completes. */
  private volatile boolean heardSpeech;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(speed >= 0)) {
      throw CliFailure.badInput("--speed " + speed, "must be 0 or more", "pass 1 for real time, 0 for as fast as possible");
    }
    CliFiles.requireFile("FILE.wav", file, "a WAV file");
    PulseConfig config = PulseConfig.from(ConfigTree.load(null, env).section("pulse")).withLanguage(language);
    WavFile.Audio audio;
    try {
      audio = pulseAudio(WavFile.read(file));
    } catch (AgentException e) {
      throw CliFailure.badInput(file.toString(), e.getMessage().replaceFirst("^wav( file=[^:]*)?: ", ""),
          "convert it to a mono 16-bit PCM WAV, e.g. sox IN -c 1 -b 16 OUT.wav");
    }
    if (!emulator && config.apiKey() == null) {
      throw CliFailure.badInput(PulseConfig.ENV_API_KEY, "not set", "export " + PulseConfig.ENV_API_KEY
          + "=sk_... (your Smallest AI key), or run with --emulator");
    }
    Vertx vertx = Vertx.vertx();
    try {
      if (emulator) {
        PulseEmulator e = PulseEmulator.start(vertx, PulseEmulatorOptions.defaults()).await();
        e.expectUtterances(hints.toArray(String[]::new));
        config = config.withBaseUrl(e.baseUrl()).withApiKey(null); // a real key never goes to the emulator
      }
      int status = stream(vertx, config, audio, out, err);
      if (status == 0 && !heardSpeech) {
        err.printf(Locale.ROOT, "no speech detected in %s (%.1f s of audio)%n", file, audio.durationMillis() / 1000.0);
        err.flush();
      }
      return status;
    } finally {
      vertx.close().await();
    }
  }

  /** The file's audio in a format Pulse takes: as it is when possible, else PCM16 at 16 kHz. */
  private static WavFile.Audio pulseAudio(WavFile.Audio audio) {
    if (audio.format().channels() != 1) {
      throw AgentException.config("file", audio.format(), "found " + audio.format().channels()
          + " channels; expected a mono WAV");
    }
    try {
      PulseConfig.encodingName(audio.format());
      return audio;
    } catch (AgentException unsupportedRate) {
      AudioConverter c = AudioConverter.create(audio.format(), AudioFormat.PCM16_16K);
      byte[] out = new byte[c.maxOutputBytes(audio.data().length)];
      int n = c.convert(audio.data(), 0, audio.data().length, out, 0);
      return new WavFile.Audio(AudioFormat.PCM16_16K, Arrays.copyOf(out, n));
    }
  }

  private int stream(Vertx vertx, PulseConfig config, WavFile.Audio audio, PrintWriter out, PrintWriter err)
      throws Exception {
    PulseClient client = PulseClient.create(vertx, config, VertxClock.INSTANCE);
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    context.runOnContext(v -> client.open(audio.format(), event -> print(event, out, err))
        .onFailure(e -> done.complete(fail(err, e)))
        .onSuccess(stream -> new Feeder(vertx, stream, audio, done, err).next()));
    long budget = audio.durationMillis() + 60_000; // the file at real time, plus the close and reconnect allowance
    return done.get(speed == 0 ? 60_000 : (long) (budget / Math.max(speed, 1e-3)), TimeUnit.MILLISECONDS);
  }

  /** Sends the audio in 20 ms pieces at {@code speed} times real time, then closes the stream. Runs on the loop. */
  private final class Feeder {
    private final Vertx vertx;
    private final PulseStream stream;
    private final byte[] data;
    private final int chunk;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Integer> done;
    private final PrintWriter progress; // null for a short file
    private final long totalMillis;
    private int sent;
    private int reportedTenths;

    Feeder(Vertx vertx, PulseStream stream, WavFile.Audio audio, CompletableFuture<Integer> done, PrintWriter err) {
      this.progress = audio.durationMillis() >= PROGRESS_FROM_MILLIS ? err : null;
      this.totalMillis = audio.durationMillis();
      this.vertx = vertx;
      this.stream = stream;
      this.data = audio.data();
      this.chunk = audio.format().bytesFor(CHUNK_MILLIS);
      this.done = done;
    }

    void next() {
      double elapsedMillis = (System.nanoTime() - startNanos) / 1e6;
      long dueBytes = speed == 0 ? data.length : (long) (elapsedMillis * speed / CHUNK_MILLIS + 1) * chunk;
      while (!failed && sent < data.length && sent < dueBytes) {
        int n = Math.min(chunk, data.length - sent);
        stream.sendAudio(data, sent, n);
        sent += n;
        reportProgress();
      }
      if (!failed && sent < data.length) {
        vertx.setTimer(Math.max(1, (long) (CHUNK_MILLIS / speed)), t -> next());
      } else {
        stream.close().onComplete(ar -> done.complete(ar.succeeded() && !failed ? 0 : 1));
      }
    }

    /** On a long file, one stderr line each time another tenth of the audio has been sent. */
    private void reportProgress() {
      int tenths = (int) (sent * 10L / data.length);
      if (progress == null || tenths <= reportedTenths) return;
      reportedTenths = tenths;
      progress.printf(Locale.ROOT, "progress: %.1f s of %.1f s sent (%d%%)%n", totalMillis * tenths / 10 / 1000.0,
          totalMillis / 1000.0, tenths * 10);
      progress.flush();
    }
  }

  private void print(PulseEvent event, PrintWriter out, PrintWriter err) {
    if (event instanceof PulseEvent.Final f && !f.text().isBlank()) heardSpeech = true;
    if (event instanceof PulseEvent.Failed f) {
      failed = true;
      fail(err, f.error());
      return;
    }
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      switch (event) {
        case PulseEvent.Partial p -> o.put("event", "partial").put("text", p.text());
        case PulseEvent.Final f -> {
          o.put("event", "final").put("text", f.text()).put("from_finalize", f.fromFinalize()).put("last", f.last());
          ArrayNode words = o.putArray("words");
          f.words().forEach(w -> words.addObject().put("word", w.word()).put("start", w.start()).put("end", w.end()));
        }
        case PulseEvent.SpeechStarted s -> o.put("event", "speech_started").put("timestamp", s.timestampSeconds());
        case PulseEvent.SpeechEnded s -> o.put("event", "speech_ended").put("timestamp", s.timestampSeconds());
        case PulseEvent.Reconnected r ->
            o.put("event", "reconnected").put("attempt", r.attempt()).put("replayed_bytes", r.replayedBytes());
        case PulseEvent.Closed c -> o.put("event", "closed").put("code", c.code());
        case PulseEvent.Failed f -> throw new AssertionError("handled above");
      }
      out.println(o);
    } else {
      String line = switch (event) {
        case PulseEvent.Partial p -> "partial: " + p.text();
        case PulseEvent.Final f -> f.text().isEmpty() ? null : "final: " + f.text();
        case PulseEvent.SpeechStarted s -> String.format(Locale.ROOT, "speech started at %.2f s", s.timestampSeconds());
        case PulseEvent.SpeechEnded s -> String.format(Locale.ROOT, "speech ended at %.2f s", s.timestampSeconds());
        case PulseEvent.Reconnected r -> "reconnected (attempt " + r.attempt() + ", replayed " + r.replayedBytes()
            + " bytes)";
        case PulseEvent.Closed c -> null;
        case PulseEvent.Failed f -> throw new AssertionError("handled above");
      };
      if (line != null) out.println(line);
    }
    out.flush();
  }

  private int fail(PrintWriter err, Throwable e) {
    CliFailure failure = CliErrors.describe(e, spec.commandLine(), null);
    err.println(failure.line());
    err.flush();
    return failure.exitCode();
  }
}
