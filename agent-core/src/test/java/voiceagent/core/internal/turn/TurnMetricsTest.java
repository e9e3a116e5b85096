package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import voiceagent.core.Prices;

/** Each recording lands in the named meter with the documented tags and values. */
class TurnMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TurnMetrics metrics = new TurnMetrics(registry);

  private double tokens(String kind) {
    return registry.get("voice_agent_tokens_total").tag("kind", kind).counter().count();
  }

  @Test
  void usageAddsTokensCostAndCacheRatio() {
    metrics.recordUsage(1550, 0, 200, Prices.LAUNCH_2026_05.cost(1550, 0, 200));
    metrics.recordUsage(1550, 1500, 200, Prices.LAUNCH_2026_05.cost(1550, 1500, 200));
    metrics.recordUsage(0, 0, 0, BigDecimal.ZERO); // no prompt: no ratio sample
    assertEquals(3100.0, tokens("prompt"));
    assertEquals(1500.0, tokens("cached"));
    assertEquals(400.0, tokens("completion"));
    assertEquals(0.00143, registry.get("voice_agent_cost_usd_total").counter().count(), 1e-12);
    DistributionSummary ratio = registry.get("voice_agent_cache_ratio").summary();
    assertEquals(2, ratio.count());
    assertEquals(1500.0 / 1550, ratio.totalAmount(), 1e-12);
    assertEquals(1500.0 / 1550, ratio.max(), 1e-12);
  }

  @Test
  void toolDurationsAreTaggedByToolAndError() {
    metrics.recordTool("book", false, TimeUnit.MILLISECONDS.toNanos(120));
    metrics.recordTool("book", false, TimeUnit.MILLISECONDS.toNanos(80));
    metrics.recordTool("book", true, TimeUnit.MILLISECONDS.toNanos(5000));
    Timer ok = registry.get("voice_agent_tool_duration").tag("tool", "book").tag("error", "false").timer();
    Timer failed = registry.get("voice_agent_tool_duration").tag("tool", "book").tag("error", "true").timer();
    assertEquals(2, ok.count());
    assertEquals(200.0, ok.totalTime(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(1, failed.count());
    assertEquals(5.0, failed.totalTime(TimeUnit.SECONDS), 1e-9);
  }

  @Test
  void firstTokenAndTurnOutcomes() {
    metrics.recordFirstToken(TimeUnit.MILLISECONDS.toNanos(310));
    metrics.recordTurn("completed");
    metrics.recordTurn("completed");
    metrics.recordTurn("interrupted");
    Timer first = registry.get("voice_agent_first_token").timer();
    assertEquals(1, first.count());
    assertEquals(310.0, first.max(TimeUnit.MILLISECONDS), 1e-9);
    assertEquals(2.0, registry.get("voice_agent_turns_total").tag("outcome", "completed").counter().count());
    assertEquals(1.0, registry.get("voice_agent_turns_total").tag("outcome", "interrupted").counter().count());
  }
}
