package voiceagent.common;

import java.util.Collection;

/**
 * Edit distance between words, to suggest the name a user probably meant (a misspelt configuration key, a JSON
 * Schema type such as {@code strng}).
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class EditDistance {
  private EditDistance() {}

  /** The candidate at the smallest distance from {@code word}, the first such on a tie; null when there is none. */
  public static String nearest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(word, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance: inserting, deleting or replacing one character costs 1. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
