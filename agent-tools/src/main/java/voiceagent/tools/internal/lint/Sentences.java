package voiceagent.tools.internal.lint;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts sentences in a tool description: a sentence ends at {@code . ! ?} followed by space and more text, except
 * after a common abbreviation ({@code e.g.}, {@code i.e.}, {@code etc.}, ...) whose period ends no sentence.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class Sentences {
  private static final Pattern END = Pattern.compile("(\\S*)[.!?]+[\"')\\]]*\\s+(?=\\S)");
  private static final Set<String> ABBREVIATIONS = Set.of("e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "approx");

  private Sentences() {}

  /** The number of sentences in {@code text} (0 for blank text). */
  public static int count(String text) {
    if (text == null || text.isBlank()) return 0;
    int count = 1;
    Matcher m = END.matcher(text.strip());
    while (m.find()) {
      if (!ABBREVIATIONS.contains(m.group(1).toLowerCase(Locale.ROOT))) count++;
    }
    return count;
  }
}
