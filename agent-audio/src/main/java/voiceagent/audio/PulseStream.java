package voiceagent.audio;

import io.vertx.core.Future;

/**
 * One live Pulse transcription socket for one call. Audio goes in as bytes of the format given to
 * {@link PulseClient#open}; events come out through the {@link PulseListener}.
 *
 * <p>States: <b>open</b> (audio is batched and sent); <b>reconnecting</b> after an unexpected close (audio is kept in
 * the replay buffer and sent once a new socket is open); <b>closing</b> after {@link #close()} (waits for the terminal
 * final); <b>closed</b> or <b>failed</b> (everything is ignored). Audio, finalize and close are accepted in every state
 * and ignored once closed or failed.
 *
 * <p>Thread contract: confined to the session context that opened it; call every method from that context.
 */
public interface PulseStream {

  /** Queues audio; it is sent in batches of about {@code batchMillis} and never more than 8192 bytes a frame. */
  void sendAudio(byte[] data, int off, int len);

  /** Marks the end of a user turn: sends the queued audio, then {@code finalize}; a from-finalize final follows. */
  void finalizeTurn();

  /**
   * Ends the stream: sends the queued audio and {@code close_stream}, waits (bounded by {@code finalizeTimeoutMillis})
   * for the terminal final and the server's close, then closes. Completes when the socket is closed.
   */
  Future<Void> close();

  /** The server's session id of the current socket, or {@code null} before the first frame names it. */
  String sessionId();

  /** Audio bytes accepted by {@link #sendAudio} and flushed towards the server, not counting replays. */
  long bytesSent();
}
