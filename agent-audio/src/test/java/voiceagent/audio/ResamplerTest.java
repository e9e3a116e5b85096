package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class ResamplerTest {
  private static final int[] RATES = {8000, 16000, 22050, 24000, 44100, 48000};
  private static final double AMPLITUDE = 12000;

  static Stream<Arguments> ratePairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (int from : RATES) for (int to : RATES) if (from != to) pairs.add(Arguments.of(from, to));
    return pairs.stream();
  }

  /** Index of the first output sample whose whole filter span lies inside the input (no start-up transient). */
  private static int settled(Resampler r) {
    return (int) Math.ceil(2 * r.delaySeconds() * r.toRate()) + 2;
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratePairs")
  void inBandSinesMatchTheAnalyticSineAtTheOutputRate(int from, int to) {
    double nyquist = Math.min(from, to) / 2.0;
    // A low tone and one near the pass-band edge (0.8 of the lower Nyquist); an image or alias of the edge tone
    // would land just past the Nyquist frequency, where it counts as noise here.
    for (double freq : new double[] {440, 0.8 * nyquist}) {
      Resampler r = Resampler.create(from, to);
      short[] out = Signals.resample(r, Signals.sine(from, freq, AMPLITUDE, from / 2, 0));
      short[] expected = Signals.sine(to, freq, AMPLITUDE, out.length, r.delaySeconds());
      double snr = Signals.snrDb(out, expected, settled(r), out.length);
      assertTrue(snr >= 60, from + " -> " + to + " Hz, tone " + freq + " Hz: SNR " + snr + " dB");
    }
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratePairs")
  void outOfBandToneIsRejectedByAtLeast60Db(int from, int to) {
    if (from < to) return; // up-sampling images are covered by the edge tone of the SNR test
    // 1.15 × the output Nyquist frequency folds back to 0.85 × Nyquist, inside the pass band, if not filtered.
    double freq = Math.min(1.15 * to / 2, 0.95 * from / 2);
    Resampler r = Resampler.create(from, to);
    short[] in = Signals.sine(from, freq, AMPLITUDE, from / 2, 0);
    short[] out = Signals.resample(r, in);
    double rejection = 20 * Math.log10(Signals.rms(in, 0, in.length) / Signals.rms(out, settled(r), out.length));
    assertTrue(rejection >= 60, from + " -> " + to + " Hz, tone " + freq + " Hz: rejection " + rejection + " dB");
  }

  @Test
  void sixKilohertzAt48kIsGoneAt8k() {
    Resampler r = Resampler.create(48000, 8000);
    short[] in = Signals.sine(48000, 6000, 30000, 48000, 0);
    short[] out = Signals.resample(r, in);
    double rejection = 20 * Math.log10(Signals.rms(in, 0, in.length) / Signals.rms(out, settled(r), out.length));
    assertTrue(rejection >= 60, "rejection " + rejection + " dB");
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratePairs")
  void chunkedInputGivesTheSameOutputAsOneCall(int from, int to) {
    short[] in = Signals.sine(from, 300, AMPLITUDE, from / 4, 0);
    short[] whole = Signals.resample(Resampler.create(from, to), in);
    Resampler r = Resampler.create(from, to);
    short[] chunked = new short[whole.length + 16];
    Random random = new Random(from * 31L + to);
    int pos = 0;
    int written = 0;
    while (pos < in.length) {
      int n = Math.min(in.length - pos, random.nextInt(3000)); // includes 0 and 1-sample chunks
      int w = r.process(in, pos, n, chunked, written);
      assertTrue(w <= r.maxOutput(n), "wrote " + w + " for " + n + " inputs");
      written += w;
      pos += n;
    }
    assertArrayEquals(whole, Arrays.copyOf(chunked, written));
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @MethodSource("ratePairs")
  void durationIsPreservedAndDcGainIsOne(int from, int to) {
    int n = from / 3 + 7;
    short[] dc = new short[n];
    Arrays.fill(dc, (short) 10000);
    Resampler r = Resampler.create(from, to);
    short[] out = Signals.resample(r, dc);
    assertEquals((long) Math.ceil((double) n * to / from), out.length, "output samples for " + n + " inputs");
    for (int i = settled(r); i < out.length; i++) {
      assertTrue(Math.abs(out[i] - 10000) <= 1, "sample " + i + " = " + out[i]);
    }
  }

  @Test
  void resetForgetsHistory() {
    short[] in = Signals.sine(16000, 700, AMPLITUDE, 4000, 0);
    Resampler r = Resampler.create(16000, 8000);
    short[] first = Signals.resample(r, in);
    r.reset();
    assertArrayEquals(first, Signals.resample(r, in));
  }

  @Test
  void sameRateIsAPassThroughCopy() {
    short[] in = Signals.sine(16000, 700, AMPLITUDE, 320, 0);
    Resampler r = Resampler.create(16000, 16000);
    assertArrayEquals(in, Signals.resample(r, in));
    assertEquals(0, r.delaySeconds());
  }

  @Test
  void unsupportedRateIsRejectedWithItsValue() {
    AgentException e = assertThrows(AgentException.class, () -> Resampler.create(11025, 8000));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("from_rate=11025"), e.getMessage());
  }

  @Test
  void processAllocatesNothingOnceWarm() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Resampler r = Resampler.create(48000, 8000);
    short[] in = Signals.sine(48000, 440, AMPLITUDE, 960, 0);
    short[] out = new short[r.maxOutput(in.length)];
    for (int i = 0; i < 2000; i++) r.process(in, 0, in.length, out, 0);
    long tid = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 1000; i++) r.process(in, 0, in.length, out, 0);
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    // A single allocation per call would be at least 16 bytes × 1000 calls.
    assertTrue(allocated < 1000, "allocated " + allocated + " bytes in 1000 calls");
  }
}
