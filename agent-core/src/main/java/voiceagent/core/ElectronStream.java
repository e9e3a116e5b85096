package voiceagent.core;

/**
 * One streaming Electron request in progress: waiting for a concurrency slot, retrying, or streaming.
 *
 * <p>Thread contract: thread-safe; {@link #cancel()} hops to the context the request was started on.
 */
public interface ElectronStream {

  /**
   * Cancels the request: leaves the governor's queue, or closes the HTTP stream (which is how a client cancels a
   * completion; the server bills only the tokens generated so far). No event is reported afterwards. Idempotent.
   */
  void cancel();
}
