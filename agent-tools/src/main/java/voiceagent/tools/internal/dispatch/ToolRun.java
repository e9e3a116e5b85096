package voiceagent.tools.internal.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.Clock;
import voiceagent.tools.ToolCall;
import voiceagent.tools.ToolExecution;
import voiceagent.tools.ToolResult;

/**
 * One tool call from start to result: the body on a virtual thread (a blocking function, or the factory of a
 * non-blocking stage, so that a factory that blocks stalls neither the event loop nor other calls), a timeout on the
 * injected clock, cancellation, and the barge-in rule of {@link ToolExecution#interrupt()}. The outcome is a
 * {@link CompletableFuture} because three threads race to decide it (the tool's thread, the context's timer, a
 * canceller) and the first {@code complete} wins.
 *
 * <p>Thread contract: thread-safe; built on {@code java.util.concurrent} because it is shared by those threads.
 */
public final class ToolRun implements ToolExecution {
  private static final Logger log = LoggerFactory.getLogger(ToolRun.class);

  private static final int PENDING = 0;
  private static final int RUNNING = 1;
  private static final int NEVER_STARTED = 2;

  private final ToolCall call;
  private final boolean sideEffects;
  private final Clock clock;
  private final CompletableFuture<ToolResult> outcome = new CompletableFuture<>();
  private final Future<ToolResult> result;
  private final AtomicInteger state = new AtomicInteger(PENDING); // PENDING -> RUNNING | NEVER_STARTED, once
  private volatile long startedNanos;           // when accepted, then when the body begins (by the body's thread)
  private volatile java.util.concurrent.Future<?> thread; // the body's (or the factory's) task, to interrupt it
  private volatile CompletableFuture<?> stage;  // the non-blocking body's stage, to cancel it

  private ToolRun(ToolCall call, boolean sideEffects, Clock clock, Context context) {
    this.call = call;
    this.sideEffects = sideEffects;
    this.clock = clock;
    this.startedNanos = clock.nanoTime();
    this.result = Future.fromCompletionStage(outcome, context);
  }

  /** A call refused before it could run (unknown tool, bad arguments): its result is already decided. */
  public static ToolRun refused(ToolCall call, Clock clock, Context context, String message) {
    ToolRun run = new ToolRun(call, false, clock, context);
    run.state.set(NEVER_STARTED);
    run.fail(message);
    return run;
  }

  /**
   * Starts {@code handler} for {@code call} on {@code threads}: a blocking handler runs there, a non-blocking one is
   * called there and its stage completes wherever it does. After {@code timeoutMillis} the call ends with
   * {@code timed out after N ms}. {@code sideEffects} selects the barge-in rule of {@link #interrupt()}.
   */
  public static ToolRun start(ToolCall call, Handler handler, boolean sideEffects, long timeoutMillis, Clock clock,
      Context context, ExecutorService threads) {
    ToolRun run = new ToolRun(call, sideEffects, clock, context);
    Clock.Cancellable timer =
        clock.schedule(context, timeoutMillis, () -> run.stop("timed out after " + timeoutMillis + " ms"));
    run.outcome.whenComplete((r, e) -> timer.cancel());
    switch (handler) {
      case Handler.Blocking b -> run.thread = threads.submit(() -> run.runBlocking(b));
      case Handler.Async a -> run.thread = threads.submit(() -> run.runAsync(a));
    }
    return run;
  }

  @Override
  public String callId() {
    return call.id();
  }

  @Override
  public Future<ToolResult> result() {
    return result;
  }

  @Override
  public boolean started() {
    return state.get() == RUNNING;
  }

  @Override
  public boolean cancel() {
    return stop("cancelled");
  }

  @Override
  public boolean sideEffects() {
    return sideEffects;
  }

  @Override
  public boolean interrupt() {
    if (state.compareAndSet(PENDING, NEVER_STARTED)) return !fail("cancelled"); // never starts, whatever its kind
    if (sideEffects) return true; // running or done: it finishes, and its result stands
    return !stop("cancelled");
  }

  private boolean begin() {
    if (!state.compareAndSet(PENDING, RUNNING)) return false;
    startedNanos = clock.nanoTime();
    return true;
  }

  private void runBlocking(Handler.Blocking handler) {
    if (!begin()) return;
    try {
      succeed(handler.function().apply(call.arguments()));
    } catch (Throwable t) {
      fail(t);
    }
  }

  private void runAsync(Handler.Async handler) {
    if (!begin()) return;
    CompletionStage<?> s;
    try {
      s = handler.function().apply(call.arguments());
    } catch (Throwable t) {
      fail(t);
      return;
    }
    if (s == null) {
      fail("tool returned no result stage");
      return;
    }
    try {
      stage = s.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      stage = null; // a stage that cannot be cancelled; its late outcome is dropped
    }
    if (outcome.isDone()) stopBody(); // stopped while the handler was being called
    s.whenComplete((value, error) -> {
      if (error != null) fail(error); else succeed(value);
    });
  }

  /** Ends the call with {@code message} unless it has ended; interrupts a running body. */
  private boolean stop(String message) {
    boolean neverStarted = state.compareAndSet(PENDING, NEVER_STARTED);
    if (!fail(message)) return false;
    if (!neverStarted) stopBody();
    return true;
  }

  private void stopBody() {
    java.util.concurrent.Future<?> t = thread;
    if (t != null) t.cancel(true);
    CompletableFuture<?> s = stage;
    if (s != null) s.cancel(true);
  }

  private void succeed(Object value) {
    String content;
    try {
      content = Json.toContent(value);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    finish(ToolResult.ok(call, content, startedNanos, clock.nanoTime()));
  }

  private boolean fail(String message) {
    return finish(ToolResult.error(call, message, startedNanos, clock.nanoTime()));
  }

  private void fail(Throwable error) {
    Throwable cause = unwrap(error);
    String message = switch (cause) {
      case InvalidArgumentsException e -> "invalid arguments: " + e.getMessage();
      case CancellationException e -> "cancelled";
      default -> cause.getMessage() == null || cause.getMessage().isBlank()
          ? cause.getClass().getSimpleName() : cause.getMessage();
    };
    if (fail(message)) {
      log.atDebug().addKeyValue("tool", call.name()).addKeyValue("call_id", call.id())
          .addKeyValue("exception", cause.getClass().getName()).log("tool call failed");
    }
  }

  private boolean finish(ToolResult r) {
    if (!outcome.complete(r)) return false;
    log.atDebug().addKeyValue("tool", r.name()).addKeyValue("call_id", r.callId()).addKeyValue("error", r.error())
        .addKeyValue("duration_ms", r.durationMillis()).log("tool call finished");
    return true;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException
        || current instanceof InvocationTargetException) && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
