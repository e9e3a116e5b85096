package voiceagent.testkit.internal.lightning;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import voiceagent.audio.Resampler;
import voiceagent.audio.Pcm16;
import voiceagent.testkit.CachingSynthesizer;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * The emulator's voice: runs the blocking {@link SpeechSynthesizer} on a virtual thread and resamples its output to
 * the rate a request asks for with {@link Resampler}.
 *
 * <p>Thread contract: thread-safe (immutable; the synthesizer is thread-safe).
 */
public final class EmulatorVoice {
  /** Silence fed after the speech so the resampler's filter delay (a few ms) does not cut the last phone. */
  private static final int FLUSH_MILLIS = 20;

  private final SpeechSynthesizer synthesizer;
  private final ExecutorService executor;

  public EmulatorVoice(SpeechSynthesizer synthesizer, ExecutorService executor) {
    this.synthesizer = synthesizer;
    this.executor = executor;
  }

  /** Speaks {@code text} at {@code sampleRate}, off the caller's thread. */
  public CompletableFuture<SpeechSynthesizer.Synthesized> render(String text, int sampleRate) {
    if (synthesizer instanceof CachingSynthesizer cache) {
      return CompletableFuture.supplyAsync(() -> cache.synthesize(text, sampleRate, EmulatorVoice::resample), executor);
    }
    return CompletableFuture.supplyAsync(() -> resample(synthesizer.synthesize(text), sampleRate), executor);
  }

  static SpeechSynthesizer.Synthesized resample(SpeechSynthesizer.Synthesized in, int rate) {
    if (in.sampleRate() == rate || in.pcm16().length == 0) {
      return new SpeechSynthesizer.Synthesized(in.pcm16(), rate, in.words());
    }
    int samples = in.pcm16().length / 2;
    short[] source = new short[samples + in.sampleRate() * FLUSH_MILLIS / 1000];
    Pcm16.toShorts(in.pcm16(), 0, samples, source, 0, false);
    Resampler resampler = Resampler.create(in.sampleRate(), rate);
    short[] out = new short[resampler.maxOutput(source.length)];
    int n = resampler.process(source, 0, source.length, out, 0);
    byte[] pcm = new byte[n * 2];
    Pcm16.toBytes(out, 0, n, pcm, 0, false);
    return new SpeechSynthesizer.Synthesized(pcm, rate, in.words());
  }
}
