package voiceagent.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Vert.x's blocked-thread checker reports an event loop held too long during it. Tests create their
 * Vert.x instances with {@link #newVertx()} (or pass one to {@link #watch}), which sets a tight limit and sends each
 * report here directly, so the failure does not depend on the logging backend or its configuration. Instances that
 * code under test creates itself keep Vert.x's defaults; their reports are caught from the log when the backend is
 * Logback. Registered for every test that has the testkit on its class path (service file plus
 * {@code junit-platform.properties}).
 *
 * <p>A report reaches the test that is running when the checker fires; a loop blocked by one test and noticed after
 * it ended fails the next one, which is still a failure of the build.
 *
 * <p>Thread contract: thread-safe; checker threads report, the test thread reads.
 */
public final class BlockedThreadGuard implements BeforeEachCallback, AfterEachCallback {
  /**
   * Longest an event loop may run one task in tests. Loop tasks in this runtime take microseconds; the margin covers
   * class loading and JIT on the first calls of a test, on a loaded two-core machine.
   */
  public static final long MAX_EVENT_LOOP_MILLIS = 1_000;
  /** How often the checker looks: a blocked loop is reported within the limit plus this. */
  public static final long CHECK_INTERVAL_MILLIS = 100;

  private static final Logger log = LoggerFactory.getLogger(BlockedThreadGuard.class);
  private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
  private static final Semaphore REPORTED = new Semaphore(0);

  static {
    // Instances made by code under test (a command building its own Vert.x) keep the default handler, which logs.
    if (LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback.")) {
      LogbackCheckerTap.install(BlockedThreadGuard::record);
    }
  }

  /** The options every test Vert.x instance uses: the tight blocked-thread limit above. */
  public static VertxOptions options() {
    return new VertxOptions()
        .setBlockedThreadCheckInterval(CHECK_INTERVAL_MILLIS)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(MAX_EVENT_LOOP_MILLIS)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * A Vert.x instance with {@link #options()} whose blocked-thread reports fail the running test. The first call also
   * loads the JSON libraries on the calling thread: loading their classes takes seconds on a loaded machine, a
   * one-time cost of the JVM that would otherwise fall on whichever loop first parses a message.
   */
  public static Vertx newVertx() {
    WarmUp.ensureLoaded();
    return watch(Vertx.vertx(options()));
  }

  /** Loads Jackson and Vert.x JSON once per JVM, off the event loops: the class initializer does the work, once. */
  private static final class WarmUp {
    static {
      try {
        new ObjectMapper().readTree("{\"a\":[1,\"b\",{\"c\":null}]}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      new JsonObject("{\"status\":\"chunk\",\"data\":{\"audio\":\"\"}}").put("x", new JsonArray()).encode();
    }

    static void ensureLoaded() {
      // Calling this runs the class initializer above the first time.
    }
  }

  /** Sends the blocked-thread reports of {@code vertx} to this guard (its own limits stay as they are). */
  public static Vertx watch(Vertx vertx) {
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(BlockedThreadGuard::report);
    return vertx;
  }

  private static void report(BlockedThreadEvent event) {
    if (!counts(event.thread().getState(), event.duration(), event.maxExecTime())) {
      log.atDebug().addKeyValue("thread", event.thread().getName())
          .addKeyValue("blocked_ms", event.duration() / 1_000_000).log("slow event loop task, still running");
      return;
    }
    String where = where(event.thread());
    String report = event.thread().getName() + " blocked for " + event.duration() / 1_000_000 + " ms (limit "
        + event.maxExecTime() / 1_000_000 + " ms)" + where;
    log.atWarn().addKeyValue("thread", event.thread().getName())
        .addKeyValue("blocked_ms", event.duration() / 1_000_000).addKeyValue("stack", where)
        .log("blocked event loop");
    record(report);
  }

  private static void record(String report) {
    REPORTS.add(report);
    REPORTED.release();
  }

  /**
   * Whether a report fails the test. A loop that waits (a lock, a latch, a sleep, a future's result) fails it at the
   * limit: that is the blocking call this guard exists to catch. A loop still running code fails it at twice the
   * limit, which leaves room for a loaded machine's scheduling and first-time class loading, not for real work.
   */
  static boolean counts(Thread.State state, long blockedNanos, long limitNanos) {
    return state != Thread.State.RUNNABLE || blockedNanos >= 2 * limitNanos;
  }

  /** The top frames of the blocked thread: where it is stuck. */
  private static String where(Thread thread) {
    StackTraceElement[] stack = thread.getStackTrace();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(16, stack.length); i++) s.append("\n\tat ").append(stack[i]);
    return s.toString();
  }

  /** Waits for the next report; for the guard's own test. */
  static boolean awaitReport(long timeout, TimeUnit unit) throws InterruptedException {
    return REPORTED.tryAcquire(timeout, unit);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    drain();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> reports = drain();
    if (!reports.isEmpty()) {
      throw new AssertionError("Vert.x reported a blocked event loop during this test (" + reports.size()
          + " report(s)): " + reports.getFirst());
    }
  }

  private static List<String> drain() {
    List<String> out = new ArrayList<>();
    for (String r; (r = REPORTS.poll()) != null; ) out.add(r);
    REPORTED.drainPermits();
    return out;
  }
}
