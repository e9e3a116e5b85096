package voiceagent.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.math.BigDecimal;
import java.util.List;
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
   * Runs one turn for what the user said. The turn starts when the flux is subscribed (once); a turn still running is
   * cancelled first. Events are delivered on a Reactor bounded-elastic worker, never on the event loop; the flux
   * completes after {@link AgentEvent.TurnFinished}. Cancelling the subscription cancels the turn (the Electron stream
   * closes, tools not yet started never start) and discards buffered events.
   */
  public Flux<AgentEvent> send(String userText) {
    return Flux.defer(() -> {
      EventBridge<AgentEvent> bridge = new EventBridge<>(context, engine::cancelTurn);
      context.runOnContext(v -> engine.startTurn(userText, event -> {
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
