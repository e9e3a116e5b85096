package voiceagent.testkit;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import voiceagent.common.Clock;

/**
 * A {@link Clock} that stands still until the test advances it: back-off schedules, deadlines and races are
 * scripted in virtual time. Due tasks are dispatched to their contexts in time order when {@link #advance} runs.
 *
 * <p>Thread contract: thread-safe; tasks run on the context they were scheduled with, never on the caller.
 */
public final class ManualClock implements Clock {
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::seq)); // guarded by this
  private long nowNanos; // guarded by this
  private long seq; // guarded by this
  private final List<Long> scheduledDelays = new ArrayList<>(); // guarded by this

  @Override
  public synchronized long nanoTime() {
    return nowNanos;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return 1_700_000_000_000L + nowNanos / 1_000_000;
  }

  @Override
  public synchronized Cancellable schedule(Context context, long delayMillis, Runnable task) {
    Task t = new Task(nowNanos + delayMillis * 1_000_000, seq++, context, task, 0, null);
    tasks.add(t);
    scheduledDelays.add(delayMillis);
    notifyAll();
    return () -> {
      synchronized (ManualClock.this) {
        return tasks.remove(t);
      }
    };
  }

  /**
   * A periodic task: each time it falls due inside {@link #advance} it is dispatched and its next run is queued one
   * period later, so advancing by 100 ms runs a 20 ms tick five times, in time order with the other tasks.
   */
  @Override
  public synchronized Cancellable periodic(Context context, long periodMillis, Runnable task) {
    long period = Math.max(1, periodMillis) * 1_000_000;
    boolean[] cancelled = {false}; // guarded by this
    Task t = new Task(nowNanos + period, seq++, context, task, period, cancelled);
    tasks.add(t);
    notifyAll();
    return () -> {
      synchronized (ManualClock.this) {
        if (cancelled[0]) return false;
        cancelled[0] = true;
        tasks.removeIf(x -> x.cancelled == cancelled);
        return true;
      }
    };
  }

  /** Moves time forward by {@code millis} and dispatches every task that fell due, in order. */
  public void advance(long millis) {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      long target = nowNanos + millis * 1_000_000;
      while (!tasks.isEmpty() && tasks.peek().dueNanos <= target) {
        Task t = tasks.poll();
        nowNanos = Math.max(nowNanos, t.dueNanos);
        due.add(t);
        if (t.periodNanos > 0) {
          tasks.add(new Task(t.dueNanos + t.periodNanos, seq++, t.context, t.task, t.periodNanos, t.cancelled));
        }
      }
      nowNanos = target;
    }
    for (Task t : due) t.context.runOnContext(v -> t.task.run());
  }

  /** Delays (ms) of every task scheduled so far, in order: lets a test check a back-off schedule exactly. */
  public synchronized List<Long> scheduledDelays() {
    return List.copyOf(scheduledDelays);
  }

  /** Number of tasks waiting to fall due. */
  public synchronized int pending() {
    return tasks.size();
  }

  /**
   * Blocks the test thread until at least {@code count} tasks are pending (a timer was armed), or fails after
   * {@code timeoutMillis}: the way a test waits for the code under test to reach a timer before advancing.
   */
  public synchronized void awaitPending(int count, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (tasks.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new AssertionError("expected " + count + " pending timers, have " + tasks.size());
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Blocks the test thread until a task with a delay of {@code delayMillis} has been scheduled (now or earlier), or
   * fails after {@code timeoutMillis}: the way to wait for one particular timer (a tool's timeout) among others.
   */
  public synchronized void awaitScheduled(long delayMillis, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!scheduledDelays.contains(delayMillis)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new AssertionError("no timer of " + delayMillis + " ms; scheduled: " + scheduledDelays);
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** A due task; {@code periodNanos > 0} repeats it, {@code cancelled} is shared by all runs of one periodic task. */
  private record Task(long dueNanos, long seq, Context context, Runnable task, long periodNanos, boolean[] cancelled) {}
}
