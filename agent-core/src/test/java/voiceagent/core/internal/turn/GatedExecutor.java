package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An executor that holds every task until the test releases it, then runs it on a fresh virtual thread: a tool call
 * stays <em>pending</em> (accepted, its body not begun) exactly as long as the test wants.
 *
 * <p>Thread contract: thread-safe.
 */
final class GatedExecutor extends AbstractExecutorService {
  private final LinkedBlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @Override
  public void execute(Runnable task) {
    held.add(task);
  }

  /** Runs the next task submitted (waiting for it to be submitted) and waits until it returned. */
  void runNext() throws Exception {
    Runnable task = held.poll(10, TimeUnit.SECONDS);
    assertNotNull(task, "no task was submitted");
    threads.submit(task).get(10, TimeUnit.SECONDS);
  }

  @Override
  public void shutdown() {
    threads.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return threads.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return threads.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return threads.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return threads.awaitTermination(timeout, unit);
  }
}
