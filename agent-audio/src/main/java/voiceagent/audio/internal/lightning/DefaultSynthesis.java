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
 * <p>Thread contract: confined to the stream's loop; public methods hop there.
 */
final class DefaultSynthesis implements LightningStream.Synthesis {
  private final DefaultLightningStream stream;
  final String requestId;

  // Every field below is touched only on the stream's loop.
  boolean finished; // completed, failed or cancelled: nothing more is sent or delivered
  private final ArrayDeque<JsonObject> pending = new ArrayDeque<>();
  private final List<JsonObject> unanswered = new ArrayList<>(); // sent, no audio back yet
  private boolean hasText;
  private boolean flushQueued;
  private boolean flushSent;
  private boolean resent;
  private boolean sentAny;
  private long firstSentNanos = -1;
  private long firstAudioNanos = -1;
  private int characters;
  private long audioBytes;
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
      characters += text.length();
      pending.add(LightningWire.streamMessage(stream.config(), stream.sampleRate(), requestId, text, false));
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
      pending.add(LightningWire.streamMessage(stream.config(), stream.sampleRate(), requestId, "", true));
      stream.pump();
    });
  }

  @Override
  public void cancel() {
    stream.onLoop(() -> stream.cancel(this));
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  JsonObject nextPending() {
    return pending.poll();
  }

  void markSent(JsonObject message, long nowNanos) {
    sentAny = true;
    if (firstSentNanos < 0) firstSentNanos = nowNanos;
    if (message.getBoolean("flush", false)) flushSent = true;
    if (firstAudioNanos < 0) unanswered.add(message);
  }

  /** Whether some of this synthesis reached the server. */
  boolean onWire() {
    return sentAny;
  }

  boolean flushSent() {
    return flushSent;
  }

  boolean hasAudio() {
    return firstAudioNanos >= 0;
  }

  /**
   * The socket closed before any audio came back: puts the sent text back in front of the queue, once. Returns
   * false when it was already re-sent or audio had started (then the synthesis fails).
   */
  boolean resendAfterClose() {
    if (resent || hasAudio()) return false;
    resent = true;
    for (int i = unanswered.size() - 1; i >= 0; i--) pending.addFirst(unanswered.get(i));
    unanswered.clear();
    flushSent = false;
    sentAny = false;
    return true;
  }

  void onAudio(byte[] bytes, long nowNanos, int sampleRate) {
    if (firstAudioNanos < 0) {
      firstAudioNanos = nowNanos;
      unanswered.clear();
    }
    byte[] pcm = carry.push(bytes);
    if (pcm.length == 0) return;
    audioBytes += pcm.length;
    stream.emit(new LightningEvent.AudioChunk(requestId, pcm, sampleRate));
  }

  LightningEvent.Completed completed() {
    long ttfa = firstAudioNanos < 0 ? -1 : (firstAudioNanos - firstSentNanos) / 1_000_000;
    return new LightningEvent.Completed(requestId, ttfa, characters, audioBytes);
  }
}
