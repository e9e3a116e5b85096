package voiceagent.core.internal.turn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.CallLog;

/**
 * Checks, before every Electron request of one conversation, that the request keeps the previous request's prompt
 * prefix: the tool catalog bytes are identical and the previous messages are an exact prefix of this request's
 * messages (append-only history). Electron's prefix cache matches identical token prefixes, so any other change (a
 * timestamp in the system prompt, an edited earlier message, re-ordered tools, a trimmed history start) makes the
 * rest of the prompt a cache miss. A violation is logged at WARN as {@code prefix changed} with {@code scope=call},
 * {@code message_index} and {@code role}, and counted in {@code voice_agent_prefix_changes_total{scope=call}}.
 *
 * <p>The index is that of the first message that differs. Trimming old turns while keeping the system prompt
 * therefore fires at the first message after the kept system messages (index 1 with one system message), trimming
 * from the very start at index 0. A tools change is reported as {@code tools} and takes precedence, because the model's
 * prompt template renders the tool catalog before the conversation. Each request becomes the reference for the next
 * one, so one violation is reported once, not on every later request.
 *
 * <p>Only a 64-bit hash per message is kept (SHA-256 truncated; an accidental collision is negligible), in two
 * arrays that are swapped and reused: a request allocates nothing once the arrays are large enough.
 *
 * <p>Thread contract: confined to its conversation's loop.
 */
public final class PrefixGuard {
  /** {@link #check} result when the request keeps the prefix. */
  public static final int FINE = -1;
  /** {@link #check} result when the tool catalog changed. */
  public static final int TOOLS = -2;

  private static final Logger LOG = LoggerFactory.getLogger(PrefixGuard.class);
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NO_TOOLS = 0L;

  private final Counter changes;
  // All fields below: confined to the conversation's loop.
  private final MessageDigest sha256;
  private final byte[] digest = new byte[32];
  private long[] previous = new long[16]; // 16 covers a few turns before the first growth
  private long[] current = new long[16];
  private int previousCount = -1; // -1 until the first request
  private long previousTools;

  public PrefixGuard(MeterRegistry registry) {
    this.changes = AgentPrefix.counter(registry, "call");
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * Compares this request with the previous one.
   *
   * @param serializedMessages each message exactly as sent ({@code ChatRequest.messageJson})
   * @param toolsJson          the {@code tools} array as sent, or null when the request has none
   * @return {@link #FINE}, {@link #TOOLS}, or the index of the first message that changed
   */
  public int check(List<byte[]> serializedMessages, byte[] toolsJson, CallLog log) {
    int count = serializedMessages.size();
    if (current.length < count) current = new long[Math.max(count, current.length * 2)];
    for (int i = 0; i < count; i++) current[i] = hash(serializedMessages.get(i));
    long tools = toolsJson == null ? NO_TOOLS : hash(toolsJson);
    int changed = previousCount < 0 ? FINE : firstChange(count, tools);
    if (changed != FINE) report(changed, serializedMessages, log);
    long[] swap = previous;
    previous = current;
    current = swap;
    previousCount = count;
    previousTools = tools;
    return changed;
  }

  /**
   * Forgets the previous request: the next one is a new reference. For a history that was shortened on purpose
   * (compaction, a rejected turn taken back), which is not a violation.
   */
  public void reset() {
    previousCount = -1;
  }

  private int firstChange(int count, long tools) {
    if (tools != previousTools) return TOOLS;
    for (int i = 0; i < previousCount; i++) {
      if (i >= count || current[i] != previous[i]) return i;
    }
    return FINE;
  }

  private void report(int changed, List<byte[]> messages, CallLog log) {
    changes.increment();
    var line = log.warn(LOG).addKeyValue("scope", "call")
        .addKeyValue("message_index", changed == TOOLS ? "tools" : changed);
    // A shortened history has no message at the index; the counts below show that case.
    if (changed >= 0 && changed < messages.size()) line.addKeyValue("role", role(messages.get(changed)));
    line.addKeyValue("message_count", messages.size()).addKeyValue("previous_message_count", previousCount)
        .log("prefix changed");
  }

  private long hash(byte[] bytes) {
    sha256.update(bytes);
    try {
      sha256.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest buffer", e); // cannot happen: the buffer holds 32 bytes
    }
    return (long) LONGS.get(digest, 0);
  }

  private static String role(byte[] message) {
    try {
      return JSON.readTree(message).path("role").asText("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
