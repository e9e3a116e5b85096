package voiceagent.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import voiceagent.core.internal.reactive.EventBridge;
import voiceagent.core.internal.session.CallSession;

/**
 * A handle on one running call of a {@link VoiceAgent}: its events, its end, and a way to end it.
 *
 * <p>Thread contract: thread-safe; methods may be called from any thread and hop to the call's event loop. Events and
 * the completion are delivered on a Reactor bounded-elastic worker, never on the event loop.
 */
public final class Call {
  private final String callId;
  private final Context context;
  private final EventBridge<CallEvent> bridge;
  private final Sinks.One<CallEvent.CallEnded> ended = Sinks.one();
  private CallSession session; // set and read on the call's loop only

  Call(String callId, Context context) {
    this.callId = callId;
    this.context = context;
    // Cancelling the event subscription stops the delivery only: the call itself goes on until a side hangs up.
    this.bridge = new EventBridge<>(context, () -> { });
  }

  public String callId() {
    return callId;
  }

  /**
   * The call's events, from the start, ending with {@link CallEvent.CallEnded} and completion. Subscribe once. Events
   * are buffered without bound until consumed (a call emits a few dozen per turn); cancelling discards the buffer and
   * stops further delivery, without ending the call.
   */
  public Flux<CallEvent> events() {
    return bridge.flux();
  }

  /** Completes with the {@link CallEvent.CallEnded} event when the call is over, on a bounded-elastic worker. */
  public Mono<CallEvent.CallEnded> completion() {
    return ended.asMono().publishOn(Schedulers.boundedElastic());
  }

  /** Ends the call from the agent's side: the configured goodbye is spoken first, the hang-up follows once it played. */
  public void hangUp() {
    context.runOnContext(v -> {
      if (session != null) session.hangUp();
    });
  }

  /**
   * A user turn given as text (typed in a chat box): taken like a final transcript, and reported as
   * {@link CallEvent.TurnStarted}; it interrupts the agent if it is thinking or speaking. Blank text is ignored.
   */
  public void sendText(String text) {
    context.runOnContext(v -> {
      if (session != null) session.sendText(text);
    });
  }

  /** A copy of the conversation's history as it stands (what the caller said and heard). */
  public Future<List<ChatMessage>> history() {
    Promise<List<ChatMessage>> p = Promise.promise();
    context.runOnContext(v -> p.complete(session == null ? List.of() : session.history()));
    return p.future();
  }

  /** Ends the call at once, without a goodbye (the agent shuts down); completes once it has ended. */
  Future<Void> shutdown() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (session != null) session.shutdown();
      p.complete();
    });
    return p.future();
  }

  // ---- on the call's loop

  void attach(CallSession s) {
    session = s;
  }

  void emit(CallEvent e) {
    bridge.emit(e);
    if (e instanceof CallEvent.CallEnded end) {
      bridge.complete();
      ended.tryEmitValue(end);
    }
  }
}
