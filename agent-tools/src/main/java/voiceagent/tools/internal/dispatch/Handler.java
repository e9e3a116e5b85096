package voiceagent.tools.internal.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How a tool runs: a blocking function on a virtual thread, or a non-blocking function that returns a stage at once.
 *
 * <p>Thread contract: immutable; the functions themselves must be safe to call from several threads at once.
 */
public sealed interface Handler {

  /** Blocking code (JDBC, a blocking HTTP client, {@code Thread.sleep}): runs on its own virtual thread. */
  record Blocking(Function<JsonNode, Object> function) implements Handler {}

  /**
   * Non-blocking code: returns a stage at once. It is called on a virtual thread all the same, because user code that
   * blocks before returning its stage must not stall an event loop. Cancelling the returned stage's
   * {@code CompletableFuture} is how a timeout or barge-in asks it to stop.
   */
  record Async(Function<JsonNode, ? extends CompletionStage<?>> function) implements Handler {}
}
