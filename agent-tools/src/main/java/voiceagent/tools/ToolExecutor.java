package voiceagent.tools;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import voiceagent.common.Clock;
import voiceagent.tools.internal.dispatch.ToolRun;

/**
 * Runs tool calls, many at once, each on its own virtual thread: a blocking call runs there, a non-blocking call's
 * factory is called there (so that one which blocks before returning its stage stalls neither an event loop nor
 * another call). Before a tool runs its arguments are checked against its schema; unparseable or invalid
 * arguments, an unknown tool, an exception, a timeout or a cancel all become a short error result the model can
 * read (see {@link ToolResult#content()}), so a call never fails and never crashes the turn.
 *
 * <p>Results complete on the {@link Context} passed in: a session passes its own, and its handlers run on its loop.
 * Timeouts use the injected {@link Clock}.
 *
 * <p>Thread contract: thread-safe; one executor may serve every session of the process.
 */
public final class ToolExecutor implements AutoCloseable {
  private final ExecutorService threads;
  private final boolean ownsThreads;
  private final Clock clock;

  /** An executor with its own virtual-thread-per-task executor (threads named {@code tool-N}), shut by close. */
  public ToolExecutor(Clock clock) {
    this(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tool-", 0).factory()), clock, true);
  }

  /**
   * An executor running blocking tools on {@code threads}, which should start a virtual thread per task; the caller
   * keeps ownership of it.
   */
  public ToolExecutor(ExecutorService threads, Clock clock) {
    this(threads, clock, false);
  }

  private ToolExecutor(ExecutorService threads, Clock clock, boolean ownsThreads) {
    this.threads = Objects.requireNonNull(threads, "threads");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsThreads = ownsThreads;
  }

  /** Runs {@code call} with {@code tool}; the result completes on {@code context}. */
  public Future<ToolResult> execute(ToolCall call, Tool tool, Context context) {
    return start(call, tool, context).result();
  }

  /** Starts {@code call} with {@code tool}; the handle cancels it (barge-in). */
  public ToolExecution start(ToolCall call, Tool tool, Context context) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(context, "context");
    if (call.arguments() == null) {
      return ToolRun.refused(call, clock, context, "invalid arguments: not valid JSON");
    }
    Optional<String> problems = tool.validator().problems(call.arguments());
    if (problems.isPresent()) {
      return ToolRun.refused(call, clock, context, "invalid arguments: " + problems.get());
    }
    return ToolRun.start(call, tool.handler(), tool.sideEffects(), tool.timeout().toMillis(), clock, context, threads);
  }

  /** Starts {@code call} with the registry's tool of that name; an unknown name gives an error result. */
  public ToolExecution start(ToolCall call, ToolRegistry registry, Context context) {
    return registry.find(call.name())
        .map(tool -> start(call, tool, context))
        .orElseGet(() -> ToolRun.refused(call, clock, context, "unknown tool: " + call.name()));
  }

  /**
   * Runs {@code work}, user code that may block (a system-prompt supplier, a callback), on one of the executor's
   * virtual threads, never on an event loop; the result (or what {@code work} threw) completes on {@code context}.
   */
  public <T> Future<T> callOffLoop(Callable<T> work, Context context) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> outcome = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          outcome.complete(work.call());
        } catch (Throwable t) {
          outcome.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException closed) {
      outcome.completeExceptionally(closed);
    }
    return Future.fromCompletionStage(outcome, context);
  }

  /** Shuts the executor's own virtual threads down (interrupting running tools); a no-op for a borrowed executor. */
  @Override
  public void close() {
    if (ownsThreads) threads.shutdownNow();
  }
}
