package voiceagent.core.internal.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.CallLog;
import voiceagent.core.EncodedMessages;

/**
 * Checks, before every Electron request of one conversation, that the request keeps the previous request's prompt
 * prefix: the tool catalog is identical and the previous messages are an exact prefix of this request's messages
 * (append-only history). Electron's prefix cache matches identical token prefixes, so any other change (a timestamp
 * in the system prompt, an edited earlier message, re-ordered tools, a trimmed history start) makes the rest of the
 * prompt a cache miss. A violation is logged at WARN as {@code prefix changed} with {@code scope=call},
 * {@code message_index} and {@code role}, and counted in {@code voice_agent_prefix_changes_total{scope=call}}.
 *
 * <p>The index is that of the first message that differs. Trimming old turns while keeping the system prompt
 * therefore fires at the first message after the kept system messages (index 1 with one system message), trimming
 * from the very start at index 0. A tools change is reported as {@code tools} and takes precedence, because the model's
 * prompt template renders the tool catalog before the conversation. Each request becomes the reference for the next
 * one, so one violation is reported once, not on every later request. A deliberate rewrite of the history (a
 * compaction) calls {@link #reset()} first, so that it is not reported.
 *
 * <p>Cost: the guard keeps the previous request's {@link EncodedMessages} (a reference, no copy) and compares with
 * {@link EncodedMessages#mismatch}. Messages that both requests hold in the same write-once storage slots are equal
 * without being read, so a request that appended to the history costs a few steps whatever its length; only messages
 * encoded separately (a changed system prompt, a rebuilt history) are compared byte by byte, up to the first
 * difference. The catalog is compared as text, which is one identity check for a registry's catalog.
 *
 * <p>Thread contract: confined to its conversation's loop.
 */
public final class PrefixGuard {
  /** {@link #check} result when the request keeps the prefix. */
  public static final int FINE = -1;
  /** {@link #check} result when the tool catalog changed. */
  public static final int TOOLS = -2;

  private static final Logger LOG = LoggerFactory.getLogger(PrefixGuard.class);

  private final Counter changes;
  // Both fields: confined to the conversation's loop.
  private EncodedMessages previous; // null until the first request and after reset()
  private String previousTools;

  public PrefixGuard(MeterRegistry registry) {
    this.changes = AgentPrefix.counter(registry, "call");
  }

  /**
   * Compares this request with the previous one.
   *
   * @param messages  the request's messages, encoded as sent
   * @param toolsJson the {@code tools} array as sent, or null when the request has none
   * @return {@link #FINE}, {@link #TOOLS}, or the index of the first message that changed
   */
  public int check(EncodedMessages messages, String toolsJson, CallLog log) {
    int changed = previous == null ? FINE : firstChange(messages, toolsJson);
    if (changed != FINE) report(changed, messages, log);
    previous = messages;
    previousTools = toolsJson;
    return changed;
  }

  /**
   * Forgets the previous request: the next one is a new reference. For a history that was shortened on purpose
   * (compaction, a rejected turn taken back, a cut to what was heard), which is not a violation.
   */
  public void reset() {
    previous = null;
    previousTools = null;
  }

  private int firstChange(EncodedMessages messages, String tools) {
    if (!Objects.equals(tools, previousTools)) return TOOLS;
    int index = previous.mismatch(messages);
    return index < 0 || index == previous.size() ? FINE : index;
  }

  private void report(int changed, EncodedMessages messages, CallLog log) {
    changes.increment();
    var line = log.warn(LOG).addKeyValue("scope", "call")
        .addKeyValue("message_index", changed == TOOLS ? "tools" : changed);
    // A shortened history has no message at the index; the counts below show that case.
    if (changed >= 0 && changed < messages.size()) line.addKeyValue("role", messages.get(changed).role());
    line.addKeyValue("message_count", messages.size()).addKeyValue("previous_message_count", previous.size())
        .log("prefix changed");
  }
}
