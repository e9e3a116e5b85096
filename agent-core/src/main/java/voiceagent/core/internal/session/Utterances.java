package voiceagent.core.internal.session;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a final transcript reads as a finished utterance. An unfinished one ends with a comma, a conjunction, a
 * preposition or article that needs a continuation, or a filler word: the caller is probably still thinking, so the
 * session waits a little for more speech instead of answering half a question.
 *
 * <p>Thread contract: stateless.
 */
final class Utterances {
  private static final Set<String> TRAILING = Set.of(
      "and", "or", "but", "so", "because", "then", "if", "when", "while", "although", "though", "unless", "that",
      "which", "who", "with", "to", "for", "of", "in", "on", "at", "from", "about", "the", "a", "an", "my", "your",
      "um", "uh", "erm", "er", "hmm", "like", "mean", "well");

  private Utterances() {}

  static boolean looksUnfinished(String text) {
    String t = text.strip();
    if (t.isEmpty()) return true;
    char last = t.charAt(t.length() - 1);
    if (last == ',' || last == ';' || last == ':' || last == '-' || last == '…') return true;
    if (t.endsWith("...")) return true;
    if (last == '.' || last == '?' || last == '!') return false;
    int space = t.lastIndexOf(' ');
    String word = t.substring(space + 1).toLowerCase(Locale.ROOT);
    return TRAILING.contains(word);
  }

  static int words(String text) {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean ws = Character.isWhitespace(text.charAt(i));
      if (!ws && !inWord) n++;
      inWord = !ws;
    }
    return n;
  }
}
