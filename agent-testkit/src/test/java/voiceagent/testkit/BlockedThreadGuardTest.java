package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The guard really fails a test whose event loop blocks, through the Vert.x instances tests create. */
class BlockedThreadGuardTest {

  @Test
  void aLoopBlockedPastTheLimitFailsTheTest() throws Exception {
    Vertx vertx = BlockedThreadGuard.newVertx();
    BlockedThreadGuard guard = new BlockedThreadGuard();
    guard.beforeEach(null);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch idle = new CountDownLatch(1);
    try {
      vertx.runOnContext(v -> {
        try {
          release.await(30, TimeUnit.SECONDS); // blocks the loop on purpose until the checker has reported it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(BlockedThreadGuard.awaitReport(30, TimeUnit.SECONDS), "the checker reported the blocked loop");
    } finally {
      release.countDown();
    }
    vertx.runOnContext(v -> idle.countDown());
    assertTrue(idle.await(10, TimeUnit.SECONDS));

    AssertionError failure = assertThrows(AssertionError.class, () -> guard.afterEach(null));
    assertTrue(failure.getMessage().contains("blocked event loop") && failure.getMessage().contains("vert.x-eventloop"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("BlockedThreadGuardTest"), "the report says where: " + failure.getMessage());
    assertDoesNotThrow(() -> guard.afterEach(null), "a report fails one test, not every later one");
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReportLoggedByAVertxTheTestDidNotCreateFailsTheTestToo() throws Exception {
    BlockedThreadGuard guard = new BlockedThreadGuard();
    guard.beforeEach(null);
    LoggerFactory.getLogger(BlockedThreadChecker.LOGGER_NAME)
        .warn("Thread vert.x-eventloop-thread-9 has been blocked for 2100 ms, time limit is 2000 ms");
    AssertionError failure = assertThrows(AssertionError.class, () -> guard.afterEach(null));
    assertTrue(failure.getMessage().contains("has been blocked for 2100 ms"), failure.getMessage());
  }

  @Test
  void aWaitingLoopCountsAtTheLimitARunningOneAtTwiceTheLimit() {
    long limit = 1_000_000_000L;
    assertTrue(BlockedThreadGuard.counts(Thread.State.WAITING, limit, limit));
    assertTrue(BlockedThreadGuard.counts(Thread.State.TIMED_WAITING, limit, limit));
    assertTrue(BlockedThreadGuard.counts(Thread.State.BLOCKED, limit, limit));
    assertFalse(BlockedThreadGuard.counts(Thread.State.RUNNABLE, limit, limit));
    assertTrue(BlockedThreadGuard.counts(Thread.State.RUNNABLE, 2 * limit, limit));
  }

  @Test
  void theOptionsAreTight() {
    var options = BlockedThreadGuard.options();
    assertTrue(options.getMaxEventLoopExecuteTimeUnit().toMillis(options.getMaxEventLoopExecuteTime()) <= 1_000);
    assertTrue(options.getBlockedThreadCheckIntervalUnit().toMillis(options.getBlockedThreadCheckInterval()) <= 100);
  }
}
