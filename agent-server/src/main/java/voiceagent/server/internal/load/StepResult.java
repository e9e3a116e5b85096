package voiceagent.server.internal.load;

import java.util.List;
import java.util.Locale;

/**
 * One step's results: the callers' measurements and the server's (from its {@code /metrics}), printed as human lines
 * and as one JSON line.
 *
 * <p>Thread contract: immutable after construction (the stats are no longer written).
 */
public record StepResult(int step, int calls, double rampSeconds, double durationSeconds, StepStats callers,
    ServerScrape before, ServerScrape windowStart, ServerScrape windowEnd, ServerScrape after, double idleHeapBytes,
    double windowHeapBytes, int missedScrapes) {

  static final String RUNTIME = "runtime";
  static final String TOTAL = "end_of_speech_to_first_frame";

  double cpuCoresUsed() {
    double wall = (windowEnd.atNanos() - windowStart.atNanos()) / 1e9;
    return wall <= 0 ? Double.NaN : (windowEnd.cpuSeconds() - windowStart.cpuSeconds()) / wall;
  }

  /** Callers' answered turns. */
  public long turns() {
    return callers.turns;
  }

  /** Call outcomes that count as failed: refused, dropped, without greeting or answer, or not ended in time. */
  public long failedCalls() {
    return callers.failed;
  }

  public List<String> lines() {
    StepStats c = callers;
    Histogram fa = c.firstAudio;
    return List.of(
        f("step %d: %d calls (ramp %.0f s, %.0f s each): %d connected, %d completed, %d failed; %d turns, "
            + "%d unanswered", step, calls, rampSeconds, durationSeconds, c.connected, c.completed, c.failed, c.turns,
            c.unanswered),
        f("  end of speech -> first agent audio (caller): p50 %s  p95 %s  p99 %s  (%d turns)",
            ms(fa.percentileMillis(.5)), ms(fa.percentileMillis(.95)), ms(fa.percentileMillis(.99)), fa.count()),
        f("  server share: end of speech -> first frame sent p50 %s  p95 %s  p99 %s; runtime-added p50 %s  p95 %s  "
            + "p99 %s  (%d turns)", ms(TOTAL, .5), ms(TOTAL, .95), ms(TOTAL, .99), ms(RUNTIME, .5), ms(RUNTIME, .95),
            ms(RUNTIME, .99), after.hopCount(before, RUNTIME)),
        f("  server hops p95 (where the time goes): stt_final %s, endpointing %s, first_token %s, first_segment %s, "
            + "first_audio %s, first_frame_sent %s", ms("stt_final", .95), ms("endpointing", .95),
            ms("first_token", .95), ms("first_segment", .95), ms("first_audio", .95), ms("first_frame_sent", .95)),
        f("  agent audio at the caller: frame jitter p99 %s (lateness past the 20 ms pace, %d frames), "
            + "underruns %d", ms(c.frameLateness.percentileMillis(.99)), c.frameLateness.count(), c.underruns),
        f("  server process: CPU %.1f%% of a core = %.3f%% per call; heap %.0f MB retained under load (median; "
            + "before the step %.0f MB) = %.0f KB per call%s", cpuCoresUsed() * 100, cpuCoresUsed() * 100 / calls,
            windowHeapBytes / 1e6, idleHeapBytes / 1e6, (windowHeapBytes - idleHeapBytes) / calls / 1e3,
            missedScrapes == 0 ? "" : f("; /metrics did not answer within 3 s %d times", missedScrapes)),
        c.failures.isEmpty() ? "" : "  first failures: " + String.join("; ", c.failures));
  }

  public String json() {
    StepStats c = callers;
    Histogram fa = c.firstAudio;
    return f("{\"step\":%d,\"calls\":%d,\"ramp_s\":%s,\"duration_s\":%s,\"connected\":%d,\"completed\":%d,"
        + "\"failed\":%d,\"turns\":%d,\"unanswered\":%d,\"first_audio_ms\":{\"p50\":%s,\"p95\":%s,\"p99\":%s},"
        + "\"server_first_frame_ms\":{\"p50\":%s,\"p95\":%s,\"p99\":%s},\"runtime_ms\":{\"p50\":%s,\"p95\":%s,"
        + "\"p99\":%s},\"jitter_p99_ms\":%s,\"underruns\":%d,\"cpu_cores\":%s,\"cpu_per_call_pct\":%s,"
        + "\"heap_bytes\":%s,\"idle_heap_bytes\":%s,\"heap_per_call_bytes\":%s,\"missed_scrapes\":%d}",
        step, calls, num(rampSeconds), num(durationSeconds), c.connected, c.completed, c.failed, c.turns,
        c.unanswered, num(fa.percentileMillis(.5)), num(fa.percentileMillis(.95)), num(fa.percentileMillis(.99)),
        num(server(TOTAL, .5)), num(server(TOTAL, .95)), num(server(TOTAL, .99)), num(server(RUNTIME, .5)),
        num(server(RUNTIME, .95)), num(server(RUNTIME, .99)), num(c.frameLateness.percentileMillis(.99)),
        c.underruns, num(cpuCoresUsed()), num(cpuCoresUsed() * 100 / calls), num(windowHeapBytes),
        num(idleHeapBytes), num((windowHeapBytes - idleHeapBytes) / calls), missedScrapes);
  }

  double server(String hop, double q) {
    return after.hopPercentileMillis(before, hop, q);
  }

  private String ms(String hop, double q) {
    double v = server(hop, q);
    return Double.isNaN(v) ? "n/a" : f("%.0f ms", v);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "n/a" : f("%.1f ms", v);
  }

  private static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : f("%.3f", v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
