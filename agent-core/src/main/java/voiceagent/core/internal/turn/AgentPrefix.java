package voiceagent.core.internal.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.EncodedMessages;

/**
 * The stable prompt prefix of one agent — its system prompt and static context messages, followed by the canonical
 * tools JSON — which must be byte-identical in every request of every call so that Electron's prefix cache serves it.
 * It is encoded once, for the first request of the agent, and every later request whose prompt, static context and
 * catalog equal that first one's gets the same {@link EncodedMessages}: all calls of the agent share one encoding, and
 * a request checks its prefix with an equality test of the texts (an identity test when the agent's supplier returns
 * one string), without encoding or hashing anything.
 *
 * <p>A prefix that differs from the first is encoded for that request alone, logged at WARN as {@code prefix changed}
 * with {@code scope=agent} and the first eight bytes of both prefixes' SHA-256, and counted in
 * {@code voice_agent_prefix_changes_total{scope=agent}}, on every request that carries it. The first one stays the
 * reference rather than the latest, so that one call with per-call data in its system prompt is reported without
 * making every other call look wrong in turn.
 *
 * <p>Thread contract: thread-safe (an atomic reference to an immutable value); shared by all calls of the agent.
 */
public final class AgentPrefix {
  static final String COUNTER = "voice_agent_prefix_changes_total";
  private static final Logger LOG = LoggerFactory.getLogger(AgentPrefix.class);
  /** Eight bytes of each digest in the log line are enough to tell prefixes apart by eye. */
  private static final int LOGGED_BYTES = 8;

  private final AtomicReference<Stable> reference = new AtomicReference<>();
  private final Counter changes;

  public AgentPrefix(MeterRegistry registry) {
    this.changes = counter(registry, "agent");
  }

  /**
   * The system messages a request of this agent starts with — {@code systemPrompt}, then each static context text —
   * encoded; any thread. The agent's shared encoding when the three arguments equal those of its first request.
   *
   * @param toolsJson the catalog the request carries, or null; part of the stable prefix although written after the
   *                  messages, because the model's template renders it first
   */
  public EncodedMessages systemMessages(String systemPrompt, List<String> staticContext, String toolsJson,
      CallLog log) {
    Stable first = reference.get();
    if (first == null) {
      Stable mine = Stable.of(systemPrompt, staticContext, toolsJson);
      first = reference.compareAndExchange(null, mine);
      if (first == null) return mine.messages;
    }
    if (first.matches(systemPrompt, staticContext, toolsJson)) return first.messages;
    Stable actual = Stable.of(systemPrompt, staticContext, toolsJson);
    changes.increment();
    HexFormat hex = HexFormat.of();
    log.warn(LOG).addKeyValue("scope", "agent")
        .addKeyValue("expected_sha256", hex.formatHex(first.sha256(), 0, LOGGED_BYTES))
        .addKeyValue("actual_sha256", hex.formatHex(actual.sha256(), 0, LOGGED_BYTES))
        .log("prefix changed");
    return actual.messages;
  }

  static Counter counter(MeterRegistry registry, String scope) {
    return Counter.builder(COUNTER)
        .description("Requests whose prompt prefix differs from the agent's first (scope=agent) or the previous request's (scope=call)")
        .tag("scope", scope)
        .register(registry);
  }

  /** One stable prefix: its texts, to compare, and its system messages encoded once. */
  private record Stable(String systemPrompt, List<String> staticContext, String toolsJson, EncodedMessages messages) {
    static Stable of(String systemPrompt, List<String> staticContext, String toolsJson) {
      EncodedMessages m = EncodedMessages.empty().append(ChatMessage.system(systemPrompt));
      for (String s : staticContext) m = m.append(ChatMessage.system(s));
      return new Stable(systemPrompt, staticContext, toolsJson, m);
    }

    /** Equality of the texts; each test is an identity test first, so a shared prompt string costs nothing. */
    boolean matches(String prompt, List<String> context, String tools) {
      return systemPrompt.equals(prompt) && staticContext.equals(context) && Objects.equals(toolsJson, tools);
    }

    /** The digest of the prefix's bytes (messages, then catalog), only computed to report a change. */
    byte[] sha256() {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(messages.json().getBytes());
        if (toolsJson != null) sha.update(toolsJson.getBytes(StandardCharsets.UTF_8));
        return sha.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }
  }
}
