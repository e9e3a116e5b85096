package voiceagent.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import voiceagent.common.config.ConfigTree;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningStream;
import voiceagent.audio.WavFile;
import voiceagent.common.AgentException;
import voiceagent.common.VertxClock;
import voiceagent.testkit.FreeTtsSynthesizer;
import voiceagent.testkit.LightningEmulator;
import voiceagent.testkit.LightningEmulatorOptions;

/**
 * {@code voice-agent speak "text" --out out.wav}: synthesizes text with Lightning (or, with {@code --emulator}, with
 * the offline emulator) and writes a PCM16 WAV; prints a one-line summary to stderr. Exit 0 on success, 1 on a
 * service error, 2 on a usage or configuration error (reported by {@link CliErrors}).
 */
@Command(name = "speak", mixinStandardHelpOptions = true,
    description = "Synthesize text with Lightning TTS into a WAV file (SMALLEST_API_KEY, LIGHTNING_BASE_URL).")
public final class SpeakCommand implements Callable<Integer> {
  /** Generous: the service answers in about 200 ms, the emulator's first FreeTTS load takes about a second. */
  private static final long TIMEOUT_SECONDS = 60;
  /** The rates Lightning produces. */
  private static final java.util.List<Integer> SAMPLE_RATES = java.util.List.of(8000, 16000, 22050, 24000, 44100, 48000);

  @Parameters(index = "0", paramLabel = "TEXT", description = "Text to speak (at most 250 characters per request).")
  String text;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "WAV file to write.")
  Path out;

  @Option(names = "--sample-rate", defaultValue = "24000",
      description = "8000, 16000, 22050, 24000, 44100 or 48000 (default: ${DEFAULT-VALUE}).")
  int sampleRate;

  @Option(names = "--voice", paramLabel = "ID", description = "Voice id (default: LIGHTNING_VOICE_ID or magnus).")
  String voice;

  @Option(names = "--http", description = "Use the HTTP endpoint instead of the streaming WebSocket.")
  boolean http;

  @Option(names = "--emulator", description = "Synthesize offline with the built-in Lightning emulator (no key).")
  boolean emulator;

  @Spec CommandSpec spec;

  /** The environment the configuration is read from; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    if (text == null || text.isBlank()) throw CliFailure.badInput("TEXT", "is empty", "give the words to speak");
    CliFiles.requireWritableFile("--out", out);
    if (!SAMPLE_RATES.contains(sampleRate)) {
      throw CliFailure.badInput("--sample-rate " + sampleRate, "Lightning does not produce this rate",
          "pass one of " + SAMPLE_RATES);
    }
    LightningConfig config = LightningConfig.from(ConfigTree.load(null, env).section("lightning"));
    if (voice != null) config = config.withVoiceId(voice);
    if (!emulator && config.apiKey() == null) {
      throw CliFailure.badInput("SMALLEST_API_KEY", "not set",
          "export your Smallest AI API key, or pass --emulator to speak offline");
    }
    PrintWriter err = spec.commandLine().getErr();
    Vertx vertx = Vertx.vertx();
    try {
      if (emulator) {
        // Load the offline voice now (about a second, once) so the reported time to first audio is the stream's.
        FreeTtsSynthesizer.shared().synthesize("ready");
        LightningEmulator emu = await(LightningEmulator.start(vertx, LightningEmulatorOptions.defaults()));
        config = config.withBaseUrl(emu.baseUrl());
      }
      LightningClient client = LightningClient.create(vertx, config, VertxClock.INSTANCE);
      long start = System.nanoTime();
      Result result = http ? viaHttp(client) : viaWebSocket(client);
      WavFile.write(out, new AudioFormat(AudioFormat.Encoding.PCM16_LE, sampleRate, 1), result.pcm);
      err.printf("wrote %s: %d ms of audio at %d Hz, first audio after %s, %d characters, total %d ms (%s)%n",
          out, result.pcm.length * 500L / sampleRate, sampleRate,
          result.firstAudioMillis < 0 ? "n/a" : result.firstAudioMillis + " ms", text.length(),
          (System.nanoTime() - start) / 1_000_000, http ? "http" : "websocket");
      err.flush();
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private record Result(byte[] pcm, long firstAudioMillis) {}

  private Result viaHttp(LightningClient client) throws Exception {
    long start = System.nanoTime();
    byte[] pcm = await(client.synthesizeHttp(text, sampleRate));
    return new Result(pcm, (System.nanoTime() - start) / 1_000_000);
  }

  private Result viaWebSocket(LightningClient client) throws Exception {
    SpeechRecorder recorder = new SpeechRecorder();
    LightningStream stream = await(client.open(sampleRate, recorder));
    SpeechRecorder.Take take = recorder.begin(stream, "speak-1");
    take.append(text);
    SpeechRecorder.Recording recording = take.finish(TIMEOUT_SECONDS);
    await(stream.close());
    return new Result(recording.pcm(), recording.completed().firstAudioMillis());
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AgentException a) throw a;
      throw e;
    }
  }

}
