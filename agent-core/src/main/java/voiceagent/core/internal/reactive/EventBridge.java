package voiceagent.core.internal.reactive;

import io.vertx.core.Context;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The one bridge from a session's event loop to Reactor: events are emitted on the loop with {@code tryEmitNext},
 * every {@link Sinks.EmitResult} is handled, subscribers run on a Reactor scheduler (never on the loop), and a
 * subscription cancelled before the last event hops to the loop to cancel the work — once, and never after
 * {@link #complete()} (Reactor signals a cancel after completion too, e.g. from {@code next()} or a late
 * {@code dispose()}, and that must not reach whatever work runs by then).
 *
 * <p>Thread contract: {@link #emit} and {@link #complete} on the session loop; the flux may be subscribed from any
 * thread, once.
 */
public final class EventBridge<T> {
  private final Sinks.Many<T> sink = Sinks.many().unicast().onBackpressureBuffer();
  private final Context context;
  private final Runnable onCancel;
  private boolean over; // loop: completed, or cancelled

  public EventBridge(Context context, Runnable onCancel) {
    this.context = context;
    this.onCancel = onCancel;
  }

  /**
   * The events, delivered on a bounded-elastic worker. Buffered without bound until consumed (a turn emits a few
   * dozen); on cancel, buffered events are discarded and the work is cancelled on its loop.
   */
  public Flux<T> flux() {
    // The scheduler is looked up per flux, not kept in a constant, so that a test's virtual-time scheduler applies.
    return sink.asFlux().doOnCancel(() -> context.runOnContext(v -> cancel())).publishOn(Schedulers.boundedElastic());
  }

  /**
   * Emits one event; returns false when nobody listens any more. A cancelled subscriber's hop cancels the work by
   * itself, so this never calls back into the producer.
   */
  public boolean emit(T event) {
    if (over) return false;
    Sinks.EmitResult r = sink.tryEmitNext(event);
    switch (r) {
      case OK -> {
        return true;
      }
      case FAIL_CANCELLED, FAIL_TERMINATED -> {
        return false;
      }
      // One producer thread (the loop) and an unbounded buffer: the other failures mean a programming error.
      default -> throw new IllegalStateException("event not delivered: " + r);
    }
  }

  /** Completes the flux after the last event; a cancel signalled afterwards is ignored. */
  public void complete() {
    over = true;
    sink.tryEmitComplete();
  }

  private void cancel() {
    if (over) return;
    over = true;
    onCancel.run();
  }
}
