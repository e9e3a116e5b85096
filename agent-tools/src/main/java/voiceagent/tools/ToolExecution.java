package voiceagent.tools;

import io.vertx.core.Future;

/**
 * One call in flight, as started by {@link ToolExecutor#start}. Its states: <em>pending</em> (accepted, the body has
 * not begun), <em>running</em>, and <em>done</em> once {@link #result()} is decided. The first of the tool's outcome,
 * its timeout and {@link #cancel()} decides the result; later ones are dropped.
 *
 * <p>Thread contract: thread-safe; {@link #result()} calls its handlers back on the context given to the executor.
 */
public interface ToolExecution {

  /** The id of the call being run. */
  String callId();

  /** The result; it never fails: errors, timeouts and cancels are error results. */
  Future<ToolResult> result();

  /** Whether the tool's body began (a cancelled pending call never does). */
  boolean started();

  /**
   * Cancels the call (barge-in, hang-up). Pending: the body never starts, which is what keeps a side-effecting tool
   * of a dropped generation from acting. Running: a blocking body's thread is interrupted and a non-blocking body's
   * stage is cancelled. The result becomes {@code {"error":"cancelled"}}.
   *
   * @return whether this call decided the result (false when the call had already finished)
   */
  boolean cancel();

  /** Whether the call's tool changes something outside the call ({@link Tool#sideEffects()}). */
  boolean sideEffects();

  /**
   * Barge-in, by the rule of {@link Tool#sideEffects()}: a pending call never starts (whatever its kind); a running
   * read-only call is cancelled like {@link #cancel()}; a running side-effecting call is left to finish, and its real
   * result follows through {@link #result()} (bounded by the tool's timeout).
   *
   * @return whether {@link #result()} is or will be the tool's own outcome (it had finished, or it is a started
   *     side-effecting call that runs on); false when this call decided it as cancelled
   */
  boolean interrupt();
}
