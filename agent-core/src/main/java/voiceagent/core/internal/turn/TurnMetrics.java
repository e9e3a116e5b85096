package voiceagent.core.internal.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The turn engine's Micrometer meters: tokens by kind, cost in dollars, the prefix-cache ratio per request, tool
 * durations, time to first token and turn outcomes. Recording never throws: it is observability, not control flow.
 *
 * <ul>
 *   <li>{@code voice_agent_tokens_total{kind=prompt|cached|completion}} counter
 *   <li>{@code voice_agent_cost_usd_total} counter of US dollars
 *   <li>{@code voice_agent_cache_ratio} distribution summary of cached / prompt tokens, one sample per request
 *   <li>{@code voice_agent_tool_duration{tool,error}} timer
 *   <li>{@code voice_agent_first_token} timer
 *   <li>{@code voice_agent_turns_total{outcome}} counter
 *   <li>{@code voice_agent_history_compactions_total{reason=tokens|messages|context_length}} counter
 * </ul>
 *
 * <p>Thread contract: thread-safe (Micrometer meters are); one instance may serve every call.
 */
public final class TurnMetrics {
  private final MeterRegistry registry;
  private final Counter promptTokens;
  private final Counter cachedTokens;
  private final Counter completionTokens;
  private final Counter cost;
  private final DistributionSummary cacheRatio;
  private final Timer firstToken;

  /** The registry the meters live in (shared with the prefix guards of the same agent). */
  public MeterRegistry registry() {
    return registry;
  }

  public TurnMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.promptTokens = tokens("prompt");
    this.cachedTokens = tokens("cached");
    this.completionTokens = tokens("completion");
    this.cost = Counter.builder("voice_agent_cost_usd_total")
        .description("Electron cost from usage and the current price version").register(registry);
    this.cacheRatio = DistributionSummary.builder("voice_agent_cache_ratio")
        .description("Cached share of each request's prompt tokens").register(registry);
    this.firstToken = Timer.builder("voice_agent_first_token")
        .description("From sending a request to its first content or tool-call token").register(registry);
  }

  /** One request's {@code usage} and its cost; the cache ratio is skipped when there were no prompt tokens. */
  public void recordUsage(int prompt, int cached, int completion, BigDecimal cost) {
    promptTokens.increment(Math.max(prompt, 0));
    cachedTokens.increment(Math.max(cached, 0));
    completionTokens.increment(Math.max(completion, 0));
    if (cost != null) this.cost.increment(cost.doubleValue());
    if (prompt > 0) cacheRatio.record(Math.clamp((double) cached / prompt, 0.0, 1.0));
  }

  /** One tool call; {@code name} is a registered tool's name, so the tag's values are bounded. */
  public void recordTool(String name, boolean error, long nanos) {
    Timer.builder("voice_agent_tool_duration").tag("tool", Objects.requireNonNullElse(name, "unknown")).tag("error", Boolean.toString(error))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void recordFirstToken(long nanos) {
    firstToken.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One finished turn; {@code outcome} is one of a few fixed words chosen by the turn engine. */
  public void recordTurn(String outcome) {
    Counter.builder("voice_agent_turns_total").tag("outcome", Objects.requireNonNullElse(outcome, "unknown")).register(registry).increment();
  }

  /** One history compaction; {@code reason} is one of a few fixed words chosen by the turn engine. */
  public void recordCompaction(String reason) {
    Counter.builder("voice_agent_history_compactions_total").tag("reason", reason)
        .description("Times a conversation's oldest turns were dropped in one step").register(registry).increment();
  }

  private Counter tokens(String kind) {
    return Counter.builder("voice_agent_tokens_total").tag("kind", kind)
        .description("Electron tokens by kind; cached tokens are part of prompt tokens").register(registry);
  }
}
