package voiceagent.server.internal.load;

/**
 * Counts of durations in 0.1 ms buckets up to 30 s (longer ones land in the last bucket): exact enough for
 * percentiles of latency and jitter, one array per driver loop and step, merged once at the end.
 *
 * <p>Thread contract: confined to one event loop while recording; {@link #add} and the readers run after the step.
 */
final class Histogram {
  private static final long BUCKET_NANOS = 100_000;
  private static final int BUCKETS = 300_001;

  private final int[] counts = new int[BUCKETS];
  private long total;

  void recordNanos(long nanos) {
    int i = (int) Math.min(BUCKETS - 1, Math.max(0, nanos / BUCKET_NANOS));
    counts[i]++;
    total++;
  }

  void add(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) counts[i] += other.counts[i];
    total += other.total;
  }

  long count() {
    return total;
  }

  /** The {@code q} quantile (0..1) in milliseconds (a bucket's upper edge), or NaN when empty. */
  double percentileMillis(double q) {
    if (total == 0) return Double.NaN;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank && seen > 0) return (i + 1) * BUCKET_NANOS / 1e6;
    }
    return (BUCKETS) * BUCKET_NANOS / 1e6;
  }
}
