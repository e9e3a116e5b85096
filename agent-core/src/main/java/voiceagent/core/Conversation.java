package voiceagent.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import voiceagent.core.internal.reactive.EventBridge;
import voiceagent.core.internal.turn.TurnEngine;

/**
 * One conversation (a call) with an {@link Agent}: an append-only history and one turn at a time.
 *
 * <p>Thread contract: thread-safe; every method hops to the conversation's event loop, where its state lives.
 */
public final class Conversation {
  private final Context context;
  private final TurnEngine engine;
  private final String callId;

  Conversation(Context context, TurnEngine engine, String callId) {
    this.context = context;
    this.engine = engine;
    this.callId = callId;
  }

  public String callId() {
    return callId;
  }

  /**
   * Runs one turn for what the user said. The turn starts when the flux is first subscribed; a turn still running is
   * cancelled first. The flux may be subscribed once: a second subscription (a {@code retry()}, a second subscriber)
   * fails with {@link IllegalStateException} and never sends the text again. Empty or blank text starts nothing: the
   * flux completes empty.
   *
   * <p>Events are delivered on a Reactor bounded-elastic worker, never on the event loop; the flux completes after
   * {@link AgentEvent.TurnFinished}. Cancelling the subscription before that (a {@code timeout}, {@code take(n)},
   * {@code dispose()}) cancels this turn and no other (the Electron stream closes, tools not yet started never start,
   * what was spoken stays in the history) and discards buffered events; a cancel after the turn finished does
   * nothing.
   */
  public Flux<AgentEvent> send(String userText) {
    if (userText == null || userText.isBlank()) return Flux.empty();
    AtomicBoolean subscribed = new AtomicBoolean();
    return Flux.defer(() -> {
      if (!subscribed.compareAndSet(false, true)) {
        return Flux.error(new IllegalStateException(
            "the events of a turn can be subscribed once; call send(text) again for another turn"));
      }
      int[] turn = {0}; // the turn this subscription started; touched only on the loop
      EventBridge<AgentEvent> bridge = new EventBridge<>(context, () -> engine.cancelTurn(turn[0]));
      context.runOnContext(v -> turn[0] = engine.startTurn(userText, event -> {
        if (bridge.emit(event) && event instanceof AgentEvent.TurnFinished) bridge.complete();
      }));
      return bridge.flux();
    });
  }

  /** Cancels the running turn, if any (barge-in, hang-up). */
  public void cancelTurn() {
    context.runOnContext(v -> engine.cancelTurn());
  }

  /** A copy of the history as it stands. */
  public Future<List<ChatMessage>> history() {
    Promise<List<ChatMessage>> p = Promise.promise();
    context.runOnContext(v -> p.complete(engine.history()));
    return p.future();
  }

  /** What this conversation's Electron requests have cost so far. */
  public Future<BigDecimal> cost() {
    Promise<BigDecimal> p = Promise.promise();
    context.runOnContext(v -> p.complete(engine.conversationCost()));
    return p.future();
  }
}
