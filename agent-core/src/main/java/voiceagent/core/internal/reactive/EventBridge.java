package voiceagent.core.internal.reactive;

import io.vertx.core.Context;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one bridge from a session's event loop to Reactor: events are emitted on the loop with {@code tryEmitNext},
 * every {@link Sinks.EmitResult} is handled, subscribers run on a Reactor scheduler (never on the loop), and a
 * cancelled subscription hops to the loop to cancel the work.
 *
 * <p>Thread contract: {@link #emit} and {@link #complete} on the session loop; the flux may be subscribed from any
 * thread, once.
 */
public final class EventBridge<T> {
  private static final Scheduler SUBSCRIBERS = Schedulers.boundedElastic();

  private final Sinks.Many<T> sink = Sinks.many().unicast().onBackpressureBuffer();
  private final Context context;
  private final Runnable onCancel;
  private boolean cancelled; // loop

  public EventBridge(Context context, Runnable onCancel) {
    this.context = context;
    this.onCancel = onCancel;
  }

  /**
   * The events, delivered on a bounded-elastic worker. Buffered without bound until consumed (a turn emits a few
   * dozen); on cancel, buffered events are discarded and the work is cancelled on its loop.
   */
  public Flux<T> flux() {
    return sink.asFlux().doOnCancel(() -> context.runOnContext(v -> cancel())).publishOn(SUBSCRIBERS);
  }

  /** Emits one event; returns false when nobody listens any more (the work should stop). */
  public boolean emit(T event) {
    if (cancelled) return false;
    Sinks.EmitResult r = sink.tryEmitNext(event);
    switch (r) {
      case OK -> {
        return true;
      }
      case FAIL_CANCELLED, FAIL_TERMINATED -> {
        cancel();
        return false;
      }
      // One producer thread (the loop) and an unbounded buffer: the other failures mean a programming error.
      default -> throw new IllegalStateException("event not delivered: " + r);
    }
  }

  /** Completes the flux after the last event. */
  public void complete() {
    sink.tryEmitComplete();
  }

  private void cancel() {
    if (cancelled) return;
    cancelled = true;
    onCancel.run();
  }
}
