package voiceagent.core.internal.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.CallLog;

/**
 * The stable prompt prefix of one agent — its serialized system messages followed by the canonical tools JSON — which
 * must be byte-identical in every request of every call so that Electron's prefix cache serves it. The SHA-256 of the
 * first prefix checked is the reference for the agent's lifetime: a later prefix that differs is logged at WARN as
 * {@code prefix changed} with {@code scope=agent} and counted in {@code voice_agent_prefix_changes_total{scope=agent}},
 * on every request that carries it. The first one stays the reference rather than the latest, so that one call with
 * per-call data in its system prompt is reported without making every other call look wrong in turn.
 *
 * <p>Thread contract: thread-safe (an atomic reference); shared by all calls of the agent.
 */
public final class AgentPrefix {
  static final String COUNTER = "voice_agent_prefix_changes_total";
  private static final Logger LOG = LoggerFactory.getLogger(AgentPrefix.class);
  /** Eight bytes of each digest in the log line are enough to tell prefixes apart by eye. */
  private static final int LOGGED_BYTES = 8;

  private final AtomicReference<byte[]> reference = new AtomicReference<>();
  private final Counter changes;

  public AgentPrefix(MeterRegistry registry) {
    this.changes = counter(registry, "agent");
  }

  /** True when {@code stablePrefix} matches the agent's first one (or is the first); any thread. */
  public boolean check(byte[] stablePrefix, CallLog log) {
    byte[] digest = sha256(stablePrefix);
    byte[] first = reference.compareAndExchange(null, digest);
    if (first == null || Arrays.equals(first, digest)) return true;
    changes.increment();
    HexFormat hex = HexFormat.of();
    log.warn(LOG).addKeyValue("scope", "agent")
        .addKeyValue("expected_sha256", hex.formatHex(first, 0, LOGGED_BYTES))
        .addKeyValue("actual_sha256", hex.formatHex(digest, 0, LOGGED_BYTES))
        .log("prefix changed");
    return false;
  }

  static Counter counter(MeterRegistry registry, String scope) {
    return Counter.builder(COUNTER)
        .description("Requests whose prompt prefix differs from the agent's first (scope=agent) or the previous request's (scope=call)")
        .tag("scope", scope)
        .register(registry);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
