package voiceagent.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import voiceagent.common.AgentException;
import voiceagent.tools.ToolRegistry;

/**
 * What an agent is: its prompt, its tools and how a turn behaves. Shared by every call of the agent.
 *
 * <p>The system prompt and static context are the start of every request and must be byte-identical across turns and
 * calls (Electron's prefix cache): keep names, dates and ids out of them and pass per-call facts as call variables.
 *
 * <p>Thread contract: immutable; the builder is not thread-safe.
 *
 * @param systemPrompt        evaluated for each request; a supplier that changes its text is caught by the prefix
 *                            guard
 * @param staticContext       further system messages that never change (policies, few-shot examples)
 * @param tools               the tool catalog (may be empty)
 * @param maxToolRounds       rounds whose tool calls are executed; the request after the last one is sent with
 *                            {@code tool_choice: "none"} so the turn ends with an answer; 0 reports tool calls without
 *                            running them
 * @param loopDetection       whether the same tool with the same arguments twice in a turn stops the tool chain
 * @param filler              spoken at once when a round calls tools before any text was spoken; null for none (a
 *                            tool's own filler wins)
 * @param escalation          spoken once when tools still run after {@code escalationDelay}; null for none
 * @param fallback            spoken when a turn fails before anything was said; null for none
 * @param history             when the history is compacted ({@link HistoryBudget#DEFAULT} when null)
 */
public record AgentConfig(
    Supplier<String> systemPrompt,
    List<String> staticContext,
    ToolRegistry tools,
    int maxToolRounds,
    boolean loopDetection,
    String filler,
    String escalation,
    Duration escalationDelay,
    String fallback,
    Integer maxTokens,
    List<String> stop,
    Double temperature,
    Long seed,
    SegmenterConfig segmenter,
    HistoryBudget history) {

  public AgentConfig {
    Objects.requireNonNull(systemPrompt, "systemPrompt");
    staticContext = staticContext == null ? List.of() : List.copyOf(staticContext);
    tools = tools == null ? ToolRegistry.of() : tools;
    if (maxToolRounds < 0 || maxToolRounds > 20) {
      throw AgentException.config("agent.max_tool_rounds", maxToolRounds, "expected 0..20");
    }
    escalationDelay = escalationDelay == null ? Duration.ofSeconds(2) : escalationDelay;
    if (escalationDelay.isNegative()) throw AgentException.config("agent.escalation_delay_ms", escalationDelay, "negative");
    stop = stop == null ? List.of() : List.copyOf(stop);
    if (stop.size() > ChatRequest.MAX_STOP) throw AgentException.config("agent.stop", stop, "at most 4 sequences");
    if (maxTokens != null && maxTokens < 1) throw AgentException.config("agent.max_tokens", maxTokens, "must be positive");
    if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
      throw AgentException.config("agent.temperature", temperature, "expected 0..2");
    }
    segmenter = segmenter == null ? SegmenterConfig.DEFAULT : segmenter;
    history = history == null ? HistoryBudget.DEFAULT : history;
  }

  public static Builder builder(String systemPrompt) {
    return new Builder(() -> systemPrompt);
  }

  /** A builder whose system prompt is computed per request (use with care: see the class comment). */
  public static Builder builder(Supplier<String> systemPrompt) {
    return new Builder(systemPrompt);
  }

  public Builder toBuilder() {
    Builder b = new Builder(systemPrompt);
    b.staticContext = staticContext;
    b.tools = tools;
    b.maxToolRounds = maxToolRounds;
    b.loopDetection = loopDetection;
    b.filler = filler;
    b.escalation = escalation;
    b.escalationDelay = escalationDelay;
    b.fallback = fallback;
    b.maxTokens = maxTokens;
    b.stop = stop;
    b.temperature = temperature;
    b.seed = seed;
    b.segmenter = segmenter;
    b.history = history;
    return b;
  }

  /** Builds an {@link AgentConfig}. Thread contract: not thread-safe. */
  public static final class Builder {
    private final Supplier<String> systemPrompt;
    private List<String> staticContext = List.of();
    private ToolRegistry tools = ToolRegistry.of();
    private int maxToolRounds = 3;
    private boolean loopDetection = true;
    private String filler = "Let me check that for you.";
    private String escalation = "Still working on it, one moment.";
    private Duration escalationDelay = Duration.ofSeconds(2);
    private String fallback = "Sorry, I ran into a problem. Could you say that again?";
    private Integer maxTokens;
    private List<String> stop = List.of();
    private Double temperature;
    private Long seed;
    private SegmenterConfig segmenter = SegmenterConfig.DEFAULT;
    private HistoryBudget history = HistoryBudget.DEFAULT;

    private Builder(Supplier<String> systemPrompt) {
      this.systemPrompt = systemPrompt;
    }

    public Builder staticContext(List<String> v) { staticContext = v; return this; }
    public Builder tools(ToolRegistry v) { tools = v; return this; }
    public Builder maxToolRounds(int v) { maxToolRounds = v; return this; }
    public Builder loopDetection(boolean v) { loopDetection = v; return this; }
    public Builder filler(String v) { filler = v; return this; }
    public Builder escalation(String text, Duration delay) { escalation = text; escalationDelay = delay; return this; }
    public Builder fallback(String v) { fallback = v; return this; }
    public Builder maxTokens(Integer v) { maxTokens = v; return this; }
    public Builder stop(List<String> v) { stop = v; return this; }
    public Builder temperature(Double v) { temperature = v; return this; }
    public Builder seed(Long v) { seed = v; return this; }
    public Builder segmenter(SegmenterConfig v) { segmenter = v; return this; }
    public Builder history(HistoryBudget v) { history = v; return this; }

    public AgentConfig build() {
      return new AgentConfig(systemPrompt, staticContext, tools, maxToolRounds, loopDetection, filler, escalation,
          escalationDelay, fallback, maxTokens, stop, temperature, seed, segmenter, history);
    }
  }
}
