package voiceagent.audio;

import io.vertx.core.Future;

/**
 * One call's warm Lightning WebSocket, reused turn after turn. A {@link Synthesis} is one reply segment: text is
 * appended as it streams from the LLM ({@code continue: true}) and {@link Synthesis#flush()} ends it.
 *
 * <p>States: open (a socket is connected or being connected) → closed (after {@link #close()}). When the server
 * closes the socket (after {@code complete}, after its idle timeout, or abruptly) the stream reconnects, before the
 * next text is sent at the latest, and text not yet sent is never lost. A socket closed while a synthesis is waiting
 * for its audio fails that synthesis ({@link LightningEvent.Failed}, {@code CONNECTIVITY}).
 *
 * <p>One synthesis at a time: {@link #begin} while another synthesis is in flight queues the new one (its text is
 * buffered) until the current one completes, fails or is cancelled. A synthesis that is never flushed therefore
 * holds the queue.
 *
 * <p>Thread contract: confined to the context that opened it; methods called from another thread hop there.
 */
public interface LightningStream {

  /** The PCM sample rate every chunk of this stream has. */
  int sampleRate();

  /**
   * Starts a synthesis with a client {@code requestId} (1..128 of {@code [A-Za-z0-9_.-]}), echoed by the server and
   * carried by every event of the synthesis.
   */
  Synthesis begin(String requestId);

  /** Closes the socket; syntheses not finished are dropped without further events. */
  Future<Void> close();

  /** One reply segment. Thread contract: as the stream. */
  interface Synthesis {
    String requestId();

    /**
     * Sends {@code text} with {@code continue: true}; blank text is ignored (nothing to speak, nothing billed). The
     * trailing unfinished word (text after the last whitespace) waits for the next fragment or the flush, so that a
     * segment longer than Lightning's 250 characters per request is cut between words: when the next text would not
     * fit, the request is flushed at its last sentence, clause or word boundary and the rest goes out as the next
     * request, once the server has answered the previous one.
     */
    void append(String text);

    /**
     * Ends the input ({@code text: "", continue: false, flush: true}); without any text it completes at once. The
     * synthesis completes when the last request of the segment is answered.
     */
    void flush();

    /**
     * Barge-in: drops this synthesis at once. No event of it is delivered after this call; if it was on the wire
     * the socket is closed (late frames die with it) and a fresh one is opened for the next synthesis.
     */
    void cancel();
  }
}
