package voiceagent.audio;

/** Synthetic test signals and the measurements the audio tests make on them. */
final class Signals {
  private Signals() {}

  /** {@code n} samples of {@code amplitude × sin(2π f (i / rate - delaySeconds))}, rounded to PCM16. */
  static short[] sine(int rate, double freq, double amplitude, int n, double delaySeconds) {
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * ((double) i / rate - delaySeconds)));
    }
    return s;
  }

  /** Signal-to-noise ratio in dB of {@code actual} against {@code expected} over {@code [from, to)}. */
  static double snrDb(short[] actual, short[] expected, int from, int to) {
    double signal = 0;
    double noise = 0;
    for (int i = from; i < to; i++) {
      signal += (double) expected[i] * expected[i];
      double e = actual[i] - expected[i];
      noise += e * e;
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-9));
  }

  /** Root mean square of {@code s[from, to)}. */
  static double rms(short[] s, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) sum += (double) s[i] * s[i];
    return Math.sqrt(sum / (to - from));
  }

  /** Resamples {@code in} in one call. */
  static short[] resample(Resampler r, short[] in) {
    short[] out = new short[r.maxOutput(in.length)];
    int n = r.process(in, 0, in.length, out, 0);
    return java.util.Arrays.copyOf(out, n);
  }
}
