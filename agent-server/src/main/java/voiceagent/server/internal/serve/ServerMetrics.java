package voiceagent.server.internal.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import voiceagent.core.ElectronClient;
import voiceagent.core.carrier.Carrier;

/**
 * The server's meters, rendered at {@code /metrics} in the Prometheus text format: what the agent records (per-hop
 * turn latency, tokens, cost, cache ratio, pacing jitter, tools), plus calls started, ended, refused and failed per
 * carrier, live calls, the Electron governor's queue depth and requests in flight, and the process's CPU time and
 * heap (the load generator divides them by live calls).
 *
 * <p>Latency timers are published as histograms (buckets from 1 ms to 30 s), so percentiles can be aggregated across
 * scrapes and instances, which client-side percentiles cannot.
 *
 * <p>Thread contract: thread-safe (Micrometer).
 */
public final class ServerMetrics {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public ServerMetrics() {
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("voice_agent_")) return config;
        return DistributionStatisticConfig.builder().percentilesHistogram(true)
            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
            .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos()).build().merge(config);
      }
    });
    new ProcessorMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    // Plain values the load generator reads without knowing Micrometer's names for them.
    com.sun.management.OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(
        com.sun.management.OperatingSystemMXBean.class);
    if (os != null) {
      Gauge.builder("voice_agent_process_cpu_seconds", os, o -> o.getProcessCpuTime() / 1e9)
          .description("CPU time used by the server process").register(registry);
    }
    Gauge.builder("voice_agent_heap_used_bytes", MEMORY, m -> m.getHeapMemoryUsage().getUsed())
        .description("heap in use").register(registry);
    // Heap in use minus the young generation's eden: what survived the last young collection, a steadier reading of
    // what live calls hold than the saw-tooth of the total (the load generator divides it by live calls).
    java.util.List<java.lang.management.MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && !p.getName().contains("Eden")).toList();
    Gauge.builder("voice_agent_heap_retained_bytes", heapPools,
            pools -> pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum())
        .description("heap in use outside eden (survivors and old generation)").register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Gauges read from the live-call count and the shared Electron client's governor. */
  public void bind(LiveCalls calls, ElectronClient electron) {
    Gauge.builder("voice_agent_calls_active", calls, LiveCalls::active).description("calls holding a slot")
        .register(registry);
    Gauge.builder("voice_agent_calls_max", calls, LiveCalls::max).description("server.max_calls").register(registry);
    Gauge.builder("voice_agent_electron_queue_depth", electron, ElectronClient::queueDepth)
        .description("Electron requests waiting for a concurrency slot").register(registry);
    Gauge.builder("voice_agent_electron_in_flight", electron, ElectronClient::inFlight)
        .description("Electron requests holding a concurrency slot").register(registry);
  }

  public void callStarted(Carrier carrier) {
    Counter.builder("voice_agent_calls_started_total").tag("carrier", carrier.id()).register(registry).increment();
  }

  /** A call ended; {@code reason} is the session's, with details after a colon dropped (bounded tag values). */
  public void callEnded(Carrier carrier, String reason) {
    int colon = reason.indexOf(':');
    Counter.builder("voice_agent_calls_ended_total").tag("carrier", carrier.id())
        .tag("reason", colon < 0 ? reason : reason.substring(0, colon)).register(registry).increment();
  }

  /** An upgrade or webhook refused: {@code full}, {@code draining}, {@code unauthenticated}, {@code no_start}. */
  public void refused(String carrier, String reason) {
    Counter.builder("voice_agent_calls_refused_total").tag("carrier", carrier).tag("reason", reason)
        .register(registry).increment();
  }

  /** Something failed in a call: {@code turn} (a turn failed, the caller heard the fallback), {@code pulse}, ... */
  public void error(Carrier carrier, String kind) {
    Counter.builder("voice_agent_call_errors_total").tag("carrier", carrier.id()).tag("kind", kind)
        .register(registry).increment();
  }

  /** The Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
