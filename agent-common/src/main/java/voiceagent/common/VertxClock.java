package voiceagent.common;

import io.vertx.core.Context;

/**
 * The production {@link Clock}: {@link System#nanoTime()} and Vert.x timers.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public final class VertxClock implements Clock {
  public static final VertxClock INSTANCE = new VertxClock();

  private VertxClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Cancellable schedule(Context context, long delayMillis, Runnable task) {
    // A Vert.x timer fires on the context current when it is set, which may not be `context`; hop to be sure.
    long id = context.owner().setTimer(Math.max(1, delayMillis), t -> context.runOnContext(v -> task.run()));
    return () -> context.owner().cancelTimer(id);
  }

  @Override
  public Cancellable periodic(Context context, long periodMillis, Runnable task) {
    long id = context.owner().setPeriodic(Math.max(1, periodMillis), t -> context.runOnContext(v -> task.run()));
    return () -> context.owner().cancelTimer(id);
  }
}
