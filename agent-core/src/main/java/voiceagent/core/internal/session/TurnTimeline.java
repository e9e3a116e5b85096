package voiceagent.core.internal.session;

import voiceagent.core.CallEvent;

/**
 * The instants of one turn, from the end of the caller's speech to the first frame of the answer played, and the
 * latency event built from them. Each instant is recorded once (the first time); {@link #NONE} means "not yet".
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class TurnTimeline {
  static final long NONE = Long.MIN_VALUE;

  final int turn;
  long endOfSpeech;
  long sttFinal;
  long started;
  long firstToken = NONE;
  long firstSegment = NONE;
  long firstAudio = NONE;
  long firstFrameSent = NONE;
  long firstFramePlayed = NONE;
  boolean reported;

  TurnTimeline(int turn, long endOfSpeech, long sttFinal, long started) {
    this.turn = turn;
    this.endOfSpeech = endOfSpeech;
    this.sttFinal = sttFinal;
    this.started = started;
  }

  static long first(long current, long now) {
    return current != NONE ? current : now;
  }

  /**
   * The turn's hops in nanoseconds (-1 when a hop did not happen). Hops are consecutive; the runtime's share of end of
   * speech → first frame sent is what remains after the waits on Pulse (speech end → final), the endpointing policy,
   * Electron (start → first segment) and Lightning (first segment → first audio).
   */
  Hops hops() {
    long origin = endOfSpeech != NONE ? endOfSpeech : sttFinal != NONE ? sttFinal : started;
    long stt = hop(endOfSpeech, sttFinal);
    long endpointing = hop(sttFinal != NONE ? sttFinal : endOfSpeech, started);
    long audio = hop(firstSegment, firstAudio);
    long total = hop(origin, firstFrameSent);
    long runtime = -1;
    if (total >= 0) {
      long waits = Math.max(0, stt) + Math.max(0, endpointing) + Math.max(0, hop(started, firstSegment))
          + Math.max(0, audio);
      runtime = Math.max(0, total - waits);
    }
    return new Hops(stt, endpointing, hop(started, firstToken),
        hop(firstToken != NONE ? firstToken : started, firstSegment), audio, hop(firstAudio, firstFrameSent),
        hop(firstFrameSent, firstFramePlayed), total, runtime);
  }

  /** One turn's hops, in nanoseconds, -1 for a hop that did not happen. */
  record Hops(long stt, long endpointing, long firstToken, long firstSegment, long firstAudio, long firstFrameSent,
      long firstFramePlayed, long total, long runtime) {

    CallEvent.TurnLatency event(long atMillis, int turn) {
      return new CallEvent.TurnLatency(atMillis, turn, ms(stt), ms(endpointing), ms(firstToken), ms(firstSegment),
          ms(firstAudio), ms(firstFrameSent), ms(firstFramePlayed), ms(total), ms(runtime),
          runtime < 0 ? -1 : runtime / 1000);
    }

    private static long ms(long nanos) {
      return nanos < 0 ? -1 : nanos / 1_000_000;
    }
  }

  /** Nanoseconds from {@code from} to {@code to}, or -1 when either did not happen. */
  private static long hop(long from, long to) {
    if (from == NONE || to == NONE || to < from) return -1;
    return to - from;
  }
}
