package voiceagent.audio.internal.lightning;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into pieces Lightning accepts: at most {@link #MAX_CHARS} characters per request, cut at the last sentence
 * end that fits, else the last clause end, else the last space; a single word longer than a whole piece is the only
 * thing ever cut inside a word. The whitespace at a cut is dropped; nothing else is, and the order is kept.
 *
 * <p>Thread contract: stateless.
 */
final class TextSplitter {
  /** Lightning rejects a request whose text is longer than this (protocol notes §3). */
  static final int MAX_CHARS = 250;

  private static final String SENTENCE_ENDS = ".!?…。！？";
  private static final String CLAUSE_ENDS = ",;:—–、，；：";
  private static final String CLOSERS = "\"'”’)]»";

  private TextSplitter() {}

  /** {@code text} in pieces of at most {@code max} characters, none blank. */
  static List<String> split(String text, int max) {
    List<String> pieces = new ArrayList<>();
    int from = skipSpace(text, 0);
    while (from < text.length()) {
      int end = text.length() - from <= max ? text.length() : from + cut(text, from, max, true);
      String piece = text.substring(from, end).strip();
      if (!piece.isEmpty()) pieces.add(piece);
      from = skipSpace(text, end);
    }
    return pieces;
  }

  /**
   * Length of the best first piece of {@code text[from..]} that fits in {@code room} characters, for text longer than
   * {@code room}: up to the last sentence end followed by a space, else the last clause end, else the last space.
   * With no space in reach it is {@code room} when {@code hardCut} (a word longer than a piece), else 0.
   */
  static int cut(CharSequence text, int from, int room, boolean hardCut) {
    int sentence = 0;
    int clause = 0;
    int word = 0;
    int last = Math.min(text.length() - 1, from + room); // a space at from + room still ends a piece of `room`
    for (int i = from + 1; i <= last; i++) {
      if (!Character.isWhitespace(text.charAt(i)) || Character.isWhitespace(text.charAt(i - 1))) continue;
      int end = i - from;
      word = end;
      int p = i - 1;
      while (p > from && CLOSERS.indexOf(text.charAt(p)) >= 0) p--;
      char c = text.charAt(p);
      if (SENTENCE_ENDS.indexOf(c) >= 0) sentence = end;
      else if (CLAUSE_ENDS.indexOf(c) >= 0) clause = end;
    }
    if (sentence > 0) return sentence;
    if (clause > 0) return clause;
    if (word > 0) return word;
    if (!hardCut) return 0;
    // Never split a surrogate pair: an emoji is one character to the listener.
    int end = from + room;
    return Character.isLowSurrogate(text.charAt(end)) && end - 1 > from ? room - 1 : room;
  }

  /** The index of the first non-space character at or after {@code i}. */
  static int skipSpace(CharSequence text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
    return i;
  }
}
