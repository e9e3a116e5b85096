package voiceagent.audio;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import voiceagent.audio.internal.resample.PolyphaseTable;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * A streaming sample-rate converter for mono PCM16: a polyphase Kaiser-windowed sinc filter for any pair of the rates
 * the voice path meets (8000, 16000, 22050, 24000, 44100, 48000 Hz). The ratio is reduced by the greatest common
 * divisor to up/down factors L/M, and the filter cuts below the lower of the two Nyquist frequencies with at least
 * 90 dB of stop-band attenuation, so aliases and images are rejected by more than 60 dB.
 *
 * <p>The filter history is kept between calls: feeding a signal in chunks of any size yields exactly the samples one
 * call over the whole signal yields. Output sample {@code m} represents the input at time
 * {@code m / toRate - delaySeconds()}; {@code n} input samples produce {@code ceil(n × toRate / fromRate)} outputs.
 * The filter tables are designed once per rate pair and shared; {@link #process} allocates nothing.
 *
 * <p>Thread contract: not thread-safe; one instance belongs to one stream (confined to its session loop).
 */
public final class Resampler {
  /** The rates supported, in Hz. */
  public static final Set<Integer> RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);

  /**
   * Input samples staged per filtering pass. 1024 keeps the history buffer (taps + block, at most about 5 KB of
   * floats) in L1 cache while amortising the shift of the retained history over many samples.
   */
  private static final int BLOCK = 1024;

  private final int fromRate;
  private final int toRate;
  private final PolyphaseTable table; // null when the rates are equal (pass-through)
  /** Input history, oldest first: {@code taps - 1} retained samples followed by the current block. */
  private final float[] history;
  /** Valid samples in {@link #history}. */
  private int filled;
  /** Index in {@link #history} of the newest input sample the next output needs. */
  private int next;
  /** Filter phase of the next output sample, 0 ≤ phase < L. */
  private int phase;

  private Resampler(int fromRate, int toRate) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.table = fromRate == toRate ? null : PolyphaseTable.forRates(fromRate, toRate);
    this.history = table == null ? new float[0] : new float[table.taps() - 1 + BLOCK];
    reset();
  }

  /**
   * A resampler from {@code fromRate} to {@code toRate}; equal rates give a pass-through copy.
   *
   * @throws AgentException {@link ErrorKind#INVALID_REQUEST} naming the rate when it is not one of {@link #RATES}
   */
  public static Resampler create(int fromRate, int toRate) {
    check("from_rate", fromRate);
    check("to_rate", toRate);
    return new Resampler(fromRate, toRate);
  }

  private static void check(String field, int rate) {
    if (!RATES.contains(rate)) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, "audio",
          "resampler " + field + "=" + rate + " Hz is not supported; expected one of " + new TreeSet<>(RATES) + " Hz");
    }
  }

  /**
   * Resamples {@code inLen} samples of {@code in} starting at {@code inOff} into {@code out} at {@code outOff}.
   * {@code out} must have room for {@link #maxOutput maxOutput(inLen)} samples.
   *
   * @return the number of samples written
   */
  public int process(short[] in, int inOff, int inLen, short[] out, int outOff) {
    Objects.checkFromIndexSize(inOff, inLen, in.length);
    if (table == null) {
      System.arraycopy(in, inOff, out, outOff, inLen);
      return inLen;
    }
    int taps = table.taps();
    int up = table.up();
    int down = table.down();
    int written = 0;
    while (inLen > 0) {
      if (filled == history.length) {
        // Keep the last taps - 1 samples: next >= filled here, so no future output reaches further back.
        int keepFrom = filled - (taps - 1);
        System.arraycopy(history, keepFrom, history, 0, taps - 1);
        filled -= keepFrom;
        next -= keepFrom;
      }
      int n = Math.min(inLen, history.length - filled);
      for (int i = 0; i < n; i++) history[filled + i] = in[inOff + i];
      filled += n;
      inOff += n;
      inLen -= n;
      while (next < filled) {
        float y = table.apply(phase, history, next - taps + 1);
        int s = Math.round(y);
        out[outOff + written++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
        phase += down;
        next += phase / up;
        phase %= up;
      }
    }
    return written;
  }

  /** The most samples {@link #process} can write for {@code inLen} input samples. */
  public int maxOutput(int inLen) {
    if (table == null) return inLen;
    return (int) (((long) inLen * table.up() + table.down() - 1) / table.down());
  }

  /** Forgets the filter history, as if the stream started again (e.g. after barge-in cleared the audio). */
  public void reset() {
    if (table == null) return;
    java.util.Arrays.fill(history, 0f);
    filled = table.taps() - 1;
    next = filled;
    phase = 0;
  }

  /**
   * How far the output lags the input, in seconds: the group delay of the linear-phase filter (0 for pass-through).
   * About 0.9 ms (44.1 kHz ↔ 48 kHz) to 4.8 ms (8 kHz ↔ any rate).
   */
  public double delaySeconds() {
    return table == null ? 0 : table.delayInputSamples() / fromRate;
  }

  public int fromRate() {
    return fromRate;
  }

  public int toRate() {
    return toRate;
  }
}
