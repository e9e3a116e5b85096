package voiceagent.core;

import voiceagent.common.AgentException;

/**
 * How large a conversation's history may grow before it is compacted. When the last request's prompt plus its answer
 * reached {@code maxPromptTokens} (from Electron's usage), or the history holds {@code maxMessages} messages, the
 * oldest turns are dropped in one step down to half of both budgets. One large step rather than a sliding window:
 * every request between two compactions extends the previous one, so Electron's prefix cache serves all of them but
 * the one right after a compaction. The call-context message always stays, and a tool call is never separated from
 * its result.
 *
 * <p>Thread contract: immutable.
 *
 * @param maxMessages     history messages (the system prompt and static context not counted), 8..180: a request
 *                        carries at most {@value ChatRequest#MAX_MESSAGES} messages, and one turn adds several
 * @param maxPromptTokens prompt tokens of a request, at least 256; the default leaves room for the answer in
 *                        Electron's 32,768-token window
 */
public record HistoryBudget(int maxMessages, int maxPromptTokens) {
  /** 120 messages (60 turns of a plain conversation), 24,000 prompt tokens. */
  public static final HistoryBudget DEFAULT = new HistoryBudget(120, 24_000);

  public HistoryBudget {
    if (maxMessages < 8 || maxMessages > 180) {
      throw AgentException.config("agent.history.max_messages", maxMessages, "expected 8..180");
    }
    if (maxPromptTokens < 256) {
      throw AgentException.config("agent.history.max_prompt_tokens", maxPromptTokens, "expected at least 256");
    }
  }
}
