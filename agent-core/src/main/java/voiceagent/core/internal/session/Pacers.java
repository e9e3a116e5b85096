package voiceagent.core.internal.session;

import io.vertx.core.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import voiceagent.common.Clock;

/**
 * One {@link Pacer} per event-loop thread, for all calls of one agent. Keyed by the thread, not the context: a
 * server gives each socket its own (duplicated) context, but every context of one loop runs on the same thread, so
 * one tick can serve them all without a hop.
 *
 * <p>Thread contract: thread-safe (a concurrent map); each pacer is then used only on its own thread.
 */
public final class Pacers {
  private final Map<Thread, Pacer> byLoop = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Pacer.JitterStats jitter;

  public Pacers(Clock clock, Pacer.JitterStats jitter) {
    this.clock = clock;
    this.jitter = jitter;
  }

  /** The pacer of the calling event-loop thread, created with {@code context} (a context of that thread). */
  Pacer current(Context context) {
    return byLoop.computeIfAbsent(Thread.currentThread(), t -> new Pacer(clock, context, jitter));
  }
}
