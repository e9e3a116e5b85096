package voiceagent.bench.sessions;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import voiceagent.core.AgentConfig;
import voiceagent.core.Call;
import voiceagent.core.CallEvent;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.ElectronConfig;

/**
 * N concurrent calls through the whole session — μ-law 8 kHz in (the zero-transcode path), Pulse, Electron and
 * Lightning emulators with zero delays in a separate JVM ({@link EmulatorProcess}) — each speaking {@code TURNS}
 * scripted turns ({@link ScriptedCaller}). Prints, per hop of the turn, the latency p50/p99 (whole milliseconds, as the
 * session measures them, exact over every turn), the pacing tick's jitter p99, underruns, heap per live call and CPU per call.
 *
 * <p>Args: {@code N [TURNS]}. Run: {@code scripts/bench.sh sessions [N...]} (one JVM per N).
 */
public final class SessionBenchmark {
  /** One column of {@link CallEvent.TurnLatency}. */
  private record Hop(String name, ToLongFunction<CallEvent.TurnLatency> value) {}

  private static final List<Hop> HOPS = List.of(
      new Hop("end of speech → STT final", CallEvent.TurnLatency::sttFinalMillis),
      new Hop("→ turn start (endpointing)", CallEvent.TurnLatency::endpointingMillis),
      new Hop("→ first token", CallEvent.TurnLatency::firstTokenMillis),
      new Hop("→ first segment", CallEvent.TurnLatency::firstSegmentMillis),
      new Hop("→ first TTS audio", CallEvent.TurnLatency::firstAudioMillis),
      new Hop("→ first frame sent", CallEvent.TurnLatency::firstFrameSentMillis),
      new Hop("→ first frame played", CallEvent.TurnLatency::firstFramePlayedMillis),
      new Hop("end of speech → first frame", CallEvent.TurnLatency::totalToFirstFrameMillis),
      new Hop("runtime's own share", CallEvent.TurnLatency::runtimeMillis),
      new Hop("runtime's own share (µs)", CallEvent.TurnLatency::runtimeMicros));

  private SessionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int turns = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int warmCalls = Math.min(50, n);
    Process emulators = startEmulators((n + warmCalls) * turns * 2);
    String[] urls = new BufferedReader(new InputStreamReader(emulators.getInputStream(), StandardCharsets.UTF_8))
        .readLine().split(" ");
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx, urls, n, turns, warmCalls);
    } finally {
      vertx.close().await();
      emulators.getOutputStream().close();
      emulators.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void run(Vertx vertx, String[] urls, int n, int turns, int warmCalls) throws Exception {
    SimpleMeterRegistry warmMeters = new SimpleMeterRegistry();
    try (VoiceAgent warm = agent(vertx, urls, n, warmMeters)) {
      calls(warm, warmCalls, 1, 1_000); // JIT, pools and sockets warm before anything is measured
    }
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    meters.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        // Percentiles over the whole run, not Micrometer's default two-minute window.
        return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).expiry(Duration.ofMinutes(30))
            .bufferLength(1).build().merge(config);
      }
    });
    try (VoiceAgent agent = agent(vertx, urls, n, meters)) {
      long heapBefore = gcdHeap();
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Run r = calls(agent, n, turns, Math.max(2_000, n * 5));
      long cpu = os.getProcessCpuTime() - cpu0;
      double wall = (System.nanoTime() - wall0) / 1e9;
      print(n, turns, meters, r, (r.liveHeap - heapBefore) / n, cpu, wall);
    }
  }

  /** Outcome of one batch of calls. */
  private record Run(long underruns, long framesSent, long maxJitterMicros, long unanswered, double callSeconds,
      List<String> endReasons, long liveHeap, List<CallEvent.TurnLatency> latencies) {}

  /**
   * Starts {@code count} calls spread over {@code rampMillis}, waits until every caller finished its script, takes
   * the GC'd heap while every call is still up (done talking), then hangs every call up and waits for the ends.
   */
  private static Run calls(VoiceAgent agent, int count, int turns, long rampMillis)
      throws InterruptedException {
    CountDownLatch scripted = new CountDownLatch(count);
    CountDownLatch ended = new CountDownLatch(count);
    AtomicLong underruns = new AtomicLong();
    AtomicLong frames = new AtomicLong();
    AtomicLong maxJitter = new AtomicLong();
    AtomicLong callNanos = new AtomicLong();
    List<String> reasons = Collections.synchronizedList(new ArrayList<>());
    List<CallEvent.TurnLatency> latencies = Collections.synchronizedList(new ArrayList<>());
    List<ScriptedCaller> callers = new ArrayList<>();
    List<Call> live = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      LockSupport.parkNanos(t0 + i * rampMillis * 1_000_000L / count - System.nanoTime());
      ScriptedCaller caller = new ScriptedCaller(turns, 10, scripted::countDown);
      long started = System.nanoTime();
      Call call = agent.startCall(caller);
      call.events().subscribe(e -> {
        if (e instanceof CallEvent.TurnLatency l) latencies.add(l);
        if (e instanceof CallEvent.CallEnded end) {
          underruns.addAndGet(end.underruns());
          frames.addAndGet(end.framesSent());
          maxJitter.accumulateAndGet(end.maxJitterMicros(), Math::max);
          callNanos.addAndGet(System.nanoTime() - started);
          reasons.add(end.reason());
          ended.countDown();
        }
      });
      callers.add(caller);
      live.add(call);
    }
    if (!scripted.await(120 + turns * 20L, TimeUnit.SECONDS)) {
      System.out.println("warning: " + scripted.getCount() + " callers did not finish their script");
    }
    long unanswered = 0;
    long liveHeap = gcdHeap();
    for (int i = 0; i < live.size(); i++) {
      ScriptedCaller c = callers.get(i);
      live.get(i).hangUp(); // no goodbye configured: the session hangs up at once
      unanswered += c.unanswered; // read after the script ended; racy counts are only reported
    }
    if (!ended.await(60, TimeUnit.SECONDS)) System.out.println("warning: " + ended.getCount() + " calls did not end");
    return new Run(underruns.get(), frames.get(), maxJitter.get(), unanswered, callNanos.get() / 1e9, reasons, liveHeap,
        List.copyOf(latencies));
  }

  private static VoiceAgent agent(Vertx vertx, String[] urls, int n, SimpleMeterRegistry meters) {
    return VoiceAgent.builder(vertx, AgentConfig.builder("You are a helpful voice assistant. Answer briefly.").build())
        .emulators(urls[1], urls[2], urls[3])
        .electron(ElectronConfig.defaults().withBaseUrl(urls[1]).withMaxConcurrency(Math.min(1000, n + 100), 60_000))
        .meterRegistry(meters).start().await();
  }

  private static Process startEmulators(int utterances) throws Exception {
    List<String> cmd = new ArrayList<>();
    String cpus = System.getenv("BENCH_EMULATOR_CPUS"); // e.g. "1": pin the far side to its own core
    if (cpus != null && !cpus.isBlank()) cmd.addAll(List.of("taskset", "-c", cpus));
    cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx2g", "-cp",
        System.getProperty("java.class.path"), EmulatorProcess.class.getName(), Integer.toString(utterances)));
    java.io.File log = new java.io.File(System.getProperty("java.io.tmpdir"), "session-bench-emulators.log");
    return new ProcessBuilder(cmd).redirectError(log).start();
  }

  private static long gcdHeap() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void print(int n, int turns, SimpleMeterRegistry meters, Run r, long heapPerCall, long cpuNanos,
      double wall) {
    System.out.printf(Locale.ROOT, "%n== %d calls × %d turns (μ-law 8 kHz, zero-delay emulators in another JVM), "
        + "%.1f s ==%n", n, turns, wall);
    System.out.printf(Locale.ROOT, "%-30s %8s %8s %8s %8s%n", "hop (ms, per turn)", "turns", "p50", "p99", "max");
    for (Hop hop : HOPS) {
      long[] v = r.latencies.stream().mapToLong(hop.value).filter(x -> x >= 0).sorted().toArray();
      if (v.length == 0) continue;
      System.out.printf(Locale.ROOT, "%-30s %8d %8d %8d %8d%n", hop.name, v.length, v[(int) (v.length * 0.5)],
          v[Math.min(v.length - 1, (int) (v.length * 0.99))], v[v.length - 1]);
    }
    DistributionSummary jitter = meters.find("voice_agent_pacing_jitter").summary();
    if (jitter != null) {
      System.out.printf(Locale.ROOT, "pacing tick jitter: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d ticks)%n",
          pct(jitter.takeSnapshot().percentileValues(), 0.5, 1000),
          pct(jitter.takeSnapshot().percentileValues(), 0.99, 1000), jitter.max() / 1000, jitter.count());
    }
    long ok = r.endReasons.stream().filter(x -> x.equals("agent_hang_up")).count();
    System.out.printf(Locale.ROOT, "calls ended cleanly: %d of %d; unanswered turns: %d%n", ok, n, r.unanswered);
    if (ok < n) {
      System.out.println("other ends: " + r.endReasons.stream().filter(x -> !x.equals("agent_hang_up"))
          .collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting())));
    }
    System.out.printf(Locale.ROOT, "underruns: %d in %d frames sent (%.4f %%), largest per-call jitter %.1f ms%n",
        r.underruns, r.framesSent, r.framesSent == 0 ? 0 : 100.0 * r.underruns / r.framesSent,
        r.maxJitterMicros / 1000.0);
    System.out.printf(Locale.ROOT, "heap per live call: %.1f KiB (GC'd heap with all %d calls up, minus before)%n",
        heapPerCall / 1024.0, n);
    System.out.printf(Locale.ROOT, "CPU per call: %.3f %% of a core (process CPU %.1f s over %.0f call-seconds); "
        + "process average %.2f cores%n", 100.0 * cpuNanos / 1e9 / r.callSeconds, cpuNanos / 1e9, r.callSeconds,
        cpuNanos / 1e9 / wall);
  }

  private static double pct(ValueAtPercentile[] values, double p, double divisor) {
    for (ValueAtPercentile v : values) if (v.percentile() == p) return v.value() / divisor;
    return Double.NaN;
  }
}
