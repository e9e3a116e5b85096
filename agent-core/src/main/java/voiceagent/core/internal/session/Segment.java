package voiceagent.core.internal.session;

import java.util.ArrayList;
import java.util.List;
import voiceagent.audio.LightningStream;
import voiceagent.core.CallEvent.SpeechKind;

/**
 * One piece of agent speech on its way to the caller: its identity (turn, generation, sequence, character range in
 * the generation's assistant content), its synthesis, where its audio sits in the call's outbound byte stream, and
 * Lightning's word timestamps, from which the heard part is cut to the word.
 *
 * <p>Thread contract: confined to the call's loop.
 */
public final class Segment {
  final int turn;
  final long generation;
  final int sequence;
  final String text;
  final SpeechKind kind;
  /** Range of {@link #text} in the generation's assistant content; -1/-1 for speech that is not model content. */
  final int charStart;
  final int charEnd;

  String requestId;
  LightningStream.Synthesis synthesis;
  /** Lightning finished (or failed): no more audio comes for this segment. */
  boolean synthesized;
  /** Outbound stream position of the first and after the last byte; -1 until sent. */
  long startByte = -1;
  long endByte = -1;
  long queuedBytes;
  boolean played;
  /** The first segment of a turn: its first frame gets a mark, for the "first frame played" latency. */
  boolean firstOfTurn;
  private final List<double[]> wordTimes = new ArrayList<>(); // {start, end} seconds, in order
  private final List<String> words = new ArrayList<>();

  Segment(int turn, long generation, int sequence, String text, SpeechKind kind, int charStart, int charEnd) {
    this.turn = turn;
    this.generation = generation;
    this.sequence = sequence;
    this.text = text;
    this.kind = kind;
    this.charStart = charStart;
    this.charEnd = charEnd;
  }

  void addWord(String word, double start, double end) {
    words.add(word);
    wordTimes.add(new double[] {start, end});
  }

  /**
   * Characters of {@link #text} the caller heard after {@code playedSeconds} of its audio: up to the end of the last
   * word whose spoken end had passed (with the punctuation glued to it). Without word timestamps the cut is made in
   * proportion to the audio played, moved back to a word boundary.
   */
  int heardChars(double playedSeconds, double totalSeconds) {
    if (played || totalSeconds > 0 && playedSeconds >= totalSeconds && synthesized) return text.length();
    if (playedSeconds <= 0) return 0;
    if (words.isEmpty()) {
      if (totalSeconds <= 0) return 0;
      int n = (int) Math.min(text.length(), Math.floor(text.length() * playedSeconds / totalSeconds));
      if (n >= text.length()) return text.length();
      while (n > 0 && !Character.isWhitespace(text.charAt(n))) n--;
      return n;
    }
    int cursor = 0;
    int heard = 0;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      int at = indexOfIgnoreCase(text, w, cursor);
      if (at < 0) continue; // a word the voice spelled differently: its neighbours still place the cut
      int end = at + w.length();
      if (wordTimes.get(i)[1] > playedSeconds) break;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) end++;
      heard = end;
      cursor = end;
    }
    return heard;
  }

  private static int indexOfIgnoreCase(String text, String word, int from) {
    if (word.isEmpty()) return -1;
    for (int i = from, last = text.length() - word.length(); i <= last; i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) return i;
    }
    return -1;
  }

  boolean isModelContent() {
    return charStart >= 0;
  }

  @Override
  public String toString() {
    return "Segment[turn=" + turn + ", gen=" + generation + ", seq=" + sequence + ", " + kind + ", '" + text + "']";
  }
}
