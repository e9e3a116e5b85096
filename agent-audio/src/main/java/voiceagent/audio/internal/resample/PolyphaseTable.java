package voiceagent.audio.internal.resample;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The polyphase decomposition of one Kaiser-windowed sinc low-pass filter for a rational rate change
 * {@code from → to = from × up / down}. Phase {@code p} holds the taps that produce an output sample whose position in
 * the up-sampled stream is {@code p} modulo {@code up}; its taps are stored in reverse so that the dot product runs
 * forward over the oldest-to-newest input history.
 *
 * <p>Design: the pass band ends at {@value #PASS_FRACTION} of the lower Nyquist frequency and the stop band starts at
 * the lower Nyquist frequency itself, so every component that would alias (down-sampling) or every image
 * (up-sampling) lies in the stop band. The Kaiser window is sized for {@value #STOP_BAND_DB} dB of stop-band
 * attenuation, which leaves a margin over the 60 dB aliasing rejection the voice path needs and keeps pass-band
 * ripple (about 10^(-90/20)) far below 16-bit quantisation noise. With 0.85 the 8 kHz telephone band still passes
 * 3.4 kHz untouched.
 *
 * <p>Thread contract: immutable; instances are shared through a static cache keyed by rate pair.
 */
public final class PolyphaseTable {
  static final double PASS_FRACTION = 0.85;
  static final double STOP_BAND_DB = 90.0;

  private static final ConcurrentMap<Long, PolyphaseTable> CACHE = new ConcurrentHashMap<>();

  private final int up;
  private final int down;
  private final int taps;
  /** {@code up × taps} coefficients, phase-major, each phase reversed; never written after construction. */
  private final float[] coefficients;
  private final double delayInputSamples;

  private PolyphaseTable(int fromRate, int toRate) {
    int g = gcd(fromRate, toRate);
    this.up = toRate / g;
    this.down = fromRate / g;
    double highRate = (double) fromRate * up;
    double nyquist = Math.min(fromRate, toRate) / 2.0;
    double transition = nyquist * (1 - PASS_FRACTION);
    double cutoff = nyquist - transition / 2;
    // Kaiser's estimate of the length for a given attenuation and normalised transition width.
    double deltaOmega = 2 * Math.PI * transition / highRate;
    int length = (int) Math.ceil((STOP_BAND_DB - 7.95) / (2.285 * deltaOmega)) + 1;
    this.taps = (length + up - 1) / up;
    int n = taps * up;
    double beta = 0.1102 * (STOP_BAND_DB - 8.7);
    double i0Beta = besselI0(beta);
    double center = (n - 1) / 2.0;
    double fc = cutoff / highRate; // cycles per up-sampled sample
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      double t = i - center;
      double sinc = t == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
      double r = t / center;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      h[i] = sinc * window;
    }
    this.coefficients = new float[n];
    for (int p = 0; p < up; p++) {
      // Normalising each phase to unit sum gives exact DC gain 1 from every phase, so a constant input produces a
      // constant output with no image tone at the up-sampling rate.
      double sum = 0;
      for (int q = 0; q < taps; q++) sum += h[p + q * up];
      for (int q = 0; q < taps; q++) coefficients[p * taps + (taps - 1 - q)] = (float) (h[p + q * up] / sum);
    }
    this.delayInputSamples = center / up;
  }

  /** The shared table for this rate pair, designed on first use. */
  public static PolyphaseTable forRates(int fromRate, int toRate) {
    return CACHE.computeIfAbsent(((long) fromRate << 32) | toRate, k -> new PolyphaseTable(fromRate, toRate));
  }

  public static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 200; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return sum;
  }

  /** Up-sampling factor L. */
  public int up() {
    return up;
  }

  /** Down-sampling factor M. */
  public int down() {
    return down;
  }

  /** Taps per phase: how many input samples contribute to one output sample. */
  public int taps() {
    return taps;
  }

  /** Group delay of the linear-phase filter, in input samples. */
  public double delayInputSamples() {
    return delayInputSamples;
  }

  /**
   * One output sample: the dot product of phase {@code phase} with {@code taps()} input samples starting at
   * {@code history[start]} (oldest first).
   */
  public float apply(int phase, float[] history, int start) {
    float[] c = coefficients;
    int base = phase * taps;
    float acc = 0;
    for (int j = 0; j < taps; j++) acc += c[base + j] * history[start + j];
    return acc;
  }
}
