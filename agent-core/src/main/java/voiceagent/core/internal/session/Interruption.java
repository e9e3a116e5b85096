package voiceagent.core.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import voiceagent.common.Clock;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;

/**
 * One barge-in between the moment the agent stopped and the moment its history is written (two-phase interrupt):
 * the speech that was cut, the pacing cursor's played position at the clear, and what is still awaited — the
 * transport's {@code cleared}, and words from the caller (none within the grace period: a false interruption, and the
 * agent resumes).
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class Interruption {
  final int turn;
  /** The engine's generation that was stopped: only its text is still unwritten. */
  final long generation;
  /** Content of that generation already played in full before the barge-in (characters). */
  final int playedChars;
  /** The stopped generation's content as far as it was produced. */
  final String content;
  List<Segment> cut;
  long heardBytes;
  boolean cleared;
  boolean wordsHeard;
  boolean resumed;
  boolean resumeWhenQuiet;
  Clock.Cancellable clearedTimer;
  Clock.Cancellable graceTimer;

  Interruption(int turn, long generation, int playedChars, String content, List<Segment> cut, long heardBytes) {
    this.turn = turn;
    this.generation = generation;
    this.playedChars = playedChars;
    this.content = content;
    this.cut = cut;
    this.heardBytes = heardBytes;
  }

  /** Characters of the stopped generation's content the caller heard, cut to the last word played. */
  int heardChars(double bytesPerSecond) {
    int heard = playedChars;
    for (Segment s : cut) {
      if (!s.isModelContent() || s.generation != generation) continue;
      if (s.played) {
        heard = Math.max(heard, s.charEnd);
      } else if (s.startByte >= 0 && s.startByte < heardBytes) {
        heard = Math.max(heard, s.charStart + heardOf(s, bytesPerSecond));
      }
    }
    return Math.min(heard, content.length());
  }

  /** The heard parts of the runtime's own lines that were cut (a greeting, an idle prompt), for the history. */
  List<String> heardLines(double bytesPerSecond) {
    List<String> heard = new ArrayList<>();
    for (Segment s : cut) {
      if (s.kind != SpeechKind.GREETING && s.kind != SpeechKind.IDLE_PROMPT) continue;
      int n = heardOf(s, bytesPerSecond);
      if (n > 0) heard.add(s.text.substring(0, n));
    }
    return heard;
  }

  /** Characters of a segment heard by the pacing cursor's position at the clear. */
  private static int heardOf(Segment s, long heardBytes, double bytesPerSecond) {
    if (s.played) return s.text.length();
    if (s.startByte < 0 || s.startByte >= heardBytes) return 0;
    long end = s.endByte >= 0 ? Math.min(s.endByte, heardBytes) : heardBytes;
    return s.heardChars((end - s.startByte) / bytesPerSecond, s.queuedBytes / bytesPerSecond);
  }

  private int heardOf(Segment s, double bytesPerSecond) {
    return heardOf(s, heardBytes, bytesPerSecond);
  }

  /**
   * The unheard rest of the stopped generation as new segments (same identity and character ranges), for resuming
   * after a false interruption; empty when nothing is left to say.
   */
  List<Segment> remainder(double bytesPerSecond, int firstSequence) {
    List<Segment> rest = new ArrayList<>();
    int seq = firstSequence;
    for (Segment s : cut) {
      if (!s.isModelContent() || s.generation != generation || s.played) continue;
      int from = s.startByte >= 0 && s.startByte < heardBytes ? heardOf(s, bytesPerSecond) : 0;
      while (from < s.text.length() && Character.isWhitespace(s.text.charAt(from))) from++;
      if (from >= s.text.length()) continue;
      Segment r = new Segment(s.turn, s.generation, seq++, s.text.substring(from), s.kind, s.charStart + from,
          s.charEnd);
      rest.add(r);
    }
    return rest;
  }

  /** What the caller heard and did not; empty for a resumed reply that played to its end (no interruption after all). */
  Optional<CallEvent.Interrupted> event(long atMillis, int heardChars) {
    String unheard = content.substring(heardChars).strip();
    if (resumed && unheard.isEmpty()) return Optional.empty();
    return Optional.of(new CallEvent.Interrupted(atMillis, turn, content.substring(0, heardChars).strip(), unheard));
  }

  void cancelTimers() {
    if (clearedTimer != null) clearedTimer.cancel();
    if (graceTimer != null) graceTimer.cancel();
    clearedTimer = null;
    graceTimer = null;
  }
}
