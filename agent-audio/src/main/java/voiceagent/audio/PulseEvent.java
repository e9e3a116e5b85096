package voiceagent.audio;

import java.util.List;
import voiceagent.common.AgentException;

/**
 * What a {@link PulseStream} reports: transcripts, voice activity, reconnects, and exactly one terminal event
 * ({@link Closed} or {@link Failed}).
 *
 * <p>Times are seconds from the first audio byte of the stream, across reconnects: after a reconnect the server counts
 * from the replayed audio, and the stream adds the offset so every event stays on one timeline.
 *
 * <p>Thread contract: immutable.
 */
public sealed interface PulseEvent {

  /** The current segment so far; it replaces the previous partial (it is not a delta) and may still change. */
  record Partial(String text, List<Word> words) implements PulseEvent {
    public Partial {
      words = List.copyOf(words);
    }
  }

  /**
   * A segment that will not change. Finals are disjoint: concatenated they give the transcript of the stream.
   *
   * @param fromFinalize the final answers {@link PulseStream#finalizeTurn()}
   * @param last         the terminal frame after {@link PulseStream#close()}
   * @param language     the pinned or detected language, or {@code null}
   */
  record Final(String text, List<Word> words, boolean fromFinalize, boolean last, String language)
      implements PulseEvent {
    public Final {
      words = List.copyOf(words);
    }
  }

  /** The server heard speech start (only with {@code vad_events}). */
  record SpeechStarted(double timestampSeconds) implements PulseEvent {}

  /** The server heard speech end (only with {@code vad_events}); acoustic, independent of finals. */
  record SpeechEnded(double timestampSeconds) implements PulseEvent {}

  /**
   * The socket closed unexpectedly and a new one is open; the audio the server had not acknowledged was sent again.
   * A partial pending at the drop is lost; finals already received stay valid.
   *
   * @param attempt       1 for the first try after the drop
   * @param replayedBytes audio bytes sent again from the replay buffer
   * @param newSessionId  the new socket's session id, or {@code null} when the server names it only in its first
   *                      frame (Pulse does); {@link PulseStream#sessionId()} has it from then on
   */
  record Reconnected(int attempt, long replayedBytes, String newSessionId) implements PulseEvent {}

  /** Terminal: the stream cannot go on (authentication, bad request, reconnect attempts exhausted). */
  record Failed(AgentException error) implements PulseEvent {}

  /** Terminal: the stream ended normally with this WebSocket close code. */
  record Closed(int code) implements PulseEvent {}

  /**
   * One recognised word.
   *
   * @param confidence 0..1, or NaN when the server did not say
   * @param speaker    diarization label (integers arrive as text), or {@code null}
   */
  record Word(String word, double start, double end, double confidence, String speaker) {}
}
