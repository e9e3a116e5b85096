package voiceagent.common;

import io.vertx.core.Context;

/**
 * Time as session code sees it: Vert.x timers in production ({@link VertxClock}), a manual clock in tests, so races
 * and back-off schedules are scripted in virtual time rather than waited for.
 *
 * <p>Thread contract: implementations are thread-safe; a scheduled task always runs on the context it was given.
 */
public interface Clock {

  /** Monotonic time in nanoseconds, for measuring durations. */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, for timestamps in logs and reports. */
  long currentTimeMillis();

  /** Runs {@code task} on {@code context} after {@code delayMillis}; the returned handle cancels it. */
  Cancellable schedule(Context context, long delayMillis, Runnable task);

  /**
   * Runs {@code task} on {@code context} every {@code periodMillis}, the first time one period from now, until the
   * returned handle cancels it. Meant for the few loop-wide ticks (audio pacing), never for one timer per call.
   */
  Cancellable periodic(Context context, long periodMillis, Runnable task);

  /** A scheduled task that may still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; returns whether it was cancelled by this call. */
    boolean cancel();
  }
}
