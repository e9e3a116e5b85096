package voiceagent.core.internal.session;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import voiceagent.common.Clock;

/**
 * The one 20 ms pacing tick of an event loop: every call on that loop sends its frames from here, so a thousand calls
 * cost one timer per loop, not one per call. The tick runs only while some call is registered.
 *
 * <p>Thread contract: confined to its event-loop thread; {@link #add} and {@link #remove} are called from calls on
 * that same thread.
 */
final class Pacer {
  static final long PERIOD_MILLIS = 20;
  private static final long PERIOD_NANOS = PERIOD_MILLIS * 1_000_000;

  private final Clock clock;
  private final Context context;
  private final List<Outbound> calls = new ArrayList<>();
  private final List<Outbound> removed = new ArrayList<>();
  private final JitterStats jitter;
  private Clock.Cancellable timer;
  private boolean ticking;
  private long lastTickNanos;

  Pacer(Clock clock, Context context, JitterStats jitter) {
    this.clock = clock;
    this.context = context;
    this.jitter = jitter;
  }

  void add(Outbound o) {
    calls.add(o);
    if (timer == null) {
      lastTickNanos = clock.nanoTime();
      timer = clock.periodic(context, PERIOD_MILLIS, this::tick);
    }
  }

  void remove(Outbound o) {
    if (ticking) {
      removed.add(o); // removing while the tick iterates would skip or repeat a call
      return;
    }
    calls.remove(o);
    if (calls.isEmpty() && timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  int calls() {
    return calls.size();
  }

  private void tick() {
    long now = clock.nanoTime();
    long deviation = Math.abs(now - lastTickNanos - PERIOD_NANOS);
    lastTickNanos = now;
    jitter.record(deviation);
    ticking = true;
    try {
      for (int i = 0, n = calls.size(); i < n; i++) calls.get(i).tick(now, deviation);
    } finally {
      ticking = false;
    }
    if (!removed.isEmpty()) {
      List<Outbound> gone = List.copyOf(removed);
      removed.clear();
      gone.forEach(this::remove);
    }
  }

  /** Where tick deviations go (a Micrometer summary in production). Thread contract: thread-safe. */
  @FunctionalInterface
  interface JitterStats {
    void record(long deviationNanos);
  }
}
