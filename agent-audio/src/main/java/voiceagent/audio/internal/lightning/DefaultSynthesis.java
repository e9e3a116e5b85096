package voiceagent.audio.internal.lightning;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningStream;

/**
 * One reply segment on a {@link DefaultLightningStream}: text waiting for the wire, text sent but not yet answered
 * (re-sent once if the socket closes before any audio), and the counters reported in
 * {@link LightningEvent.Completed}.
 *
 * <p>Lightning rejects a request of more than {@link TextSplitter#MAX_CHARS} characters, and a request on the socket
 * is everything sent between two flushes. A longer segment is therefore sent as several requests: when the next text
 * would not fit, the text up to the best boundary that fits (sentence, clause, word) is sent and flushed, and the rest
 * starts the next request, which goes out once the server has answered the previous one. To keep a word whole across
 * fragments ("buil" + "ding"), the trailing unfinished word of the appended text is held until the next fragment or
 * the flush. The segment completes on the {@code complete} of its last request; word timestamps of later requests are
 * shifted by the audio delivered before them, so they count from the start of the segment.
 *
 * <p>Thread contract: confined to the stream's loop; public methods hop there.
 */
final class DefaultSynthesis implements LightningStream.Synthesis {
  private final DefaultLightningStream stream;
  final String requestId;

  // Every field below is touched only on the stream's loop.
  boolean finished; // completed, failed or cancelled: nothing more is sent or delivered
  private final ArrayDeque<JsonObject> pending = new ArrayDeque<>();
  private final List<JsonObject> unanswered = new ArrayList<>(); // sent for the request in flight, no audio back yet
  private final StringBuilder held = new StringBuilder(); // appended text not yet queued: an unfinished word at most
  private int requestChars; // characters queued in the current request (since the last flush)
  private boolean hasText;
  private boolean flushQueued; // the caller flushed: the last request is queued
  private int flushesSent;
  private int completes; // `complete` frames received for this segment's requests
  private boolean resent; // the request in flight was re-sent after a close
  private boolean sentAny;
  private long firstSentNanos = -1;
  private long firstAudioNanos = -1;
  private int characters;
  private long audioBytes;
  private boolean requestHasAudio; // audio of the request in flight has started
  private double offsetSeconds; // audio delivered before the request in flight, for its word timestamps
  private final PcmCarry carry = new PcmCarry();

  DefaultSynthesis(DefaultLightningStream stream, String requestId) {
    this.stream = stream;
    this.requestId = requestId;
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public void append(String text) {
    if (text == null || text.isBlank()) return;
    stream.onLoop(() -> {
      if (finished || flushQueued) return;
      hasText = true;
      held.append(text);
      plan(false);
      stream.pump();
    });
  }

  @Override
  public void flush() {
    stream.onLoop(() -> {
      if (finished || flushQueued) return;
      flushQueued = true;
      if (!hasText) {
        // An empty segment gets no `complete` from the server: finish it here.
        stream.finish(this, completed());
        return;
      }
      plan(true);
      if (requestChars > 0) queueFlush();
      if (answered()) {
        stream.finish(this, completed()); // the last request was flushed by the split and has been answered
        return;
      }
      stream.pump();
    });
  }

  /**
   * Moves held text to the wire queue in requests of at most {@link TextSplitter#MAX_CHARS} characters. Without
   * {@code end}, a trailing unfinished word stays held.
   */
  private void plan(boolean end) {
    while (true) {
      int from = requestChars == 0 ? TextSplitter.skipSpace(held, 0) : 0;
      held.delete(0, from);
      if (held.isEmpty()) return;
      int room = TextSplitter.MAX_CHARS - requestChars;
      if (held.length() <= room) {
        int send = end ? held.length() : finishedWords();
        if (send > 0) queueText(send);
        return;
      }
      int cut = TextSplitter.cut(held, 0, room, requestChars == 0);
      if (cut > 0) queueText(cut);
      queueFlush(); // the request is full: what was queued ends at a word boundary
    }
  }

  /**
   * Length of the held text up to the end of its last finished word (one followed by whitespace). The whitespace
   * stays with the next word, so no message is ever only whitespace.
   */
  private int finishedWords() {
    int i = held.length() - 1;
    while (i >= 0 && !Character.isWhitespace(held.charAt(i))) i--; // the unfinished word
    while (i >= 0 && Character.isWhitespace(held.charAt(i))) i--;  // the space before it
    return i + 1;
  }

  private void queueText(int length) {
    String text = held.substring(0, length);
    held.delete(0, length);
    requestChars += text.length();
    characters += text.length();
    pending.add(LightningWire.streamMessage(stream.config(), stream.sampleRate(), requestId, text, false));
  }

  private void queueFlush() {
    requestChars = 0;
    pending.add(LightningWire.streamMessage(stream.config(), stream.sampleRate(), requestId, "", true));
  }

  @Override
  public void cancel() {
    stream.onLoop(() -> stream.cancel(this));
  }

  /**
   * Whether there is something to send now. A request is sent only once the one before it is answered
   * ({@code complete}): its audio then never mixes with the next one's, and a server that closes the socket after
   * {@code complete} loses nothing.
   */
  boolean hasPending() {
    return !pending.isEmpty() && flushesSent == completes;
  }

  JsonObject nextPending() {
    return hasPending() ? pending.poll() : null;
  }

  void markSent(JsonObject message, long nowNanos) {
    sentAny = true;
    if (firstSentNanos < 0) firstSentNanos = nowNanos;
    if (message.getBoolean("flush", false)) flushesSent++;
    if (!requestHasAudio) unanswered.add(message);
  }

  /** Whether some of this synthesis reached the server. */
  boolean onWire() {
    return sentAny;
  }

  /** Whether audio of the request in flight has started (each request of a long segment has its own deadline). */
  boolean requestHasAudio() {
    return requestHasAudio;
  }

  /** Whether the server holds text or owes audio of this segment (a socket closing now loses something). */
  boolean awaitingServer() {
    return !unanswered.isEmpty() || requestHasAudio;
  }

  /** A {@code complete} frame for this segment; true when it answers the last request (the segment is done). */
  boolean onComplete(int sampleRate) {
    if (flushesSent == completes) return false; // not ours: nothing flushed is waiting for it
    completes++;
    unanswered.clear();
    requestHasAudio = false;
    resent = false; // each request may be re-sent once: a server that closes after `complete` drops the next one
    offsetSeconds = audioBytes / 2.0 / sampleRate;
    return answered();
  }

  /** Every request of the segment is flushed and answered. */
  boolean answered() {
    return flushQueued && pending.isEmpty() && flushesSent > 0 && completes == flushesSent;
  }

  /**
   * The socket closed before any audio of the current request came back: puts its sent text back in front of the
   * queue, once. Returns false when it was already re-sent or its audio had started (then the synthesis fails).
   */
  boolean resendAfterClose() {
    if (resent || requestHasAudio) return false;
    resent = true;
    for (int i = unanswered.size() - 1; i >= 0; i--) {
      if (unanswered.get(i).getBoolean("flush", false)) flushesSent--;
      pending.addFirst(unanswered.get(i));
    }
    unanswered.clear();
    sentAny = completes > 0;
    return true;
  }

  void onAudio(byte[] bytes, long nowNanos, int sampleRate) {
    if (firstAudioNanos < 0) firstAudioNanos = nowNanos;
    if (!requestHasAudio) {
      requestHasAudio = true;
      unanswered.clear();
    }
    byte[] pcm = carry.push(bytes);
    if (pcm.length == 0) return;
    audioBytes += pcm.length;
    stream.emit(new LightningEvent.AudioChunk(requestId, pcm, sampleRate));
  }

  /** A word of this segment, timed from the start of the segment's audio rather than of its request. */
  LightningEvent.WordTimestamp word(String word, double start, double end) {
    return new LightningEvent.WordTimestamp(requestId, word, start + offsetSeconds, end + offsetSeconds);
  }

  LightningEvent.Completed completed() {
    long ttfa = firstAudioNanos < 0 ? -1 : (firstAudioNanos - firstSentNanos) / 1_000_000;
    return new LightningEvent.Completed(requestId, ttfa, characters, audioBytes);
  }
}
