package voiceagent.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Locale;
import voiceagent.core.AgentEvent;

/**
 * What a {@code voice-agent demo} conversation added up to: turns, tool calls, tokens, the share of prompt tokens
 * served from Electron's prefix cache, and the cost.
 *
 * <p>Thread contract: not thread-safe; fed with one turn's events at a time, in order.
 */
final class DemoTally {
  private int turns;
  private int toolCalls;
  private long promptTokens;
  private long completionTokens;
  private long cachedTokens;
  private BigDecimal costUsd = BigDecimal.ZERO;
  private String costEstimate;

  /** Labels the cost as an estimate of {@code source} ({@code emulator}: emulator tokens at Electron's prices). */
  void costEstimate(String source) {
    costEstimate = source;
  }

  void add(AgentEvent event) {
    switch (event) {
      case AgentEvent.ToolCallStarted t -> toolCalls++;
      case AgentEvent.UsageRecorded u -> {
        promptTokens += u.promptTokens();
        completionTokens += u.completionTokens();
        cachedTokens += u.cachedTokens();
      }
      case AgentEvent.TurnFinished f -> {
        turns++;
        if (f.costUsd() != null) costUsd = costUsd.add(f.costUsd());
      }
      default -> { }
    }
  }

  /** Cached prompt tokens over prompt tokens, 0 when nothing was sent. */
  double cachedRatio() {
    return promptTokens == 0 ? 0 : (double) cachedTokens / promptTokens;
  }

  ObjectNode json() {
    ObjectNode o = ChatOutput.event("summary").put("turns", turns).put("tool_calls", toolCalls)
        .put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("cached_tokens", cachedTokens).put("cached_ratio", Math.round(cachedRatio() * 1000) / 1000.0)
        .put("cost_usd", costUsd);
    if (costEstimate != null) o.put("estimate", costEstimate);
    return o;
  }

  String text() {
    return String.format(Locale.ROOT,
        "summary: %s, %s, %d tokens (%d prompt, %.0f%% of them cached; %d completion), cost $%s",
        count(turns, "turn"), count(toolCalls, "tool call"), promptTokens + completionTokens, promptTokens, cachedRatio() * 100, completionTokens,
        costUsd.toPlainString()) + (costEstimate == null ? "" : " (" + costEstimate + " estimate)");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
