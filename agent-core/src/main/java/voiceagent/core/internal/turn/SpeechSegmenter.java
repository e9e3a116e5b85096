package voiceagent.core.internal.turn;

import voiceagent.core.SegmenterConfig;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cuts one generation's streamed text into segments for text-to-speech, as early as the voice can use them. The first
 * segment ends at the first clause boundary ({@code , ; : — –} or a sentence end {@code . ! ? …}) after at least
 * {@link SegmenterConfig#firstSegmentMinWords()} words, so the caller hears something quickly; later segments end at
 * sentence ends once {@link SegmenterConfig#minSegmentChars()} characters wait. A line end counts as a sentence end.
 * A run longer than {@link SegmenterConfig#maxSegmentChars()} is cut at its last boundary, else at its last space
 * before the cap; only a single word longer than the cap is cut inside.
 *
 * <p>A boundary is confirmed by the next character: it must be a space or line end (or the end of output), so
 * "3.5", "$1.00", "1,000", "10:30" and "www.example.com" are not cut, and neither is a period after a known
 * abbreviation ("Dr. Smith", "e.g. this", "U.S. law"). The segment is released the moment the confirming character
 * arrives. Markup that cannot be spoken is removed first by a {@link MarkupFilter}.
 *
 * <p>Segments reach the sink in order: trimmed, single-spaced and never empty; joined with spaces they are the speakable
 * text of the whole output. The sink runs inside {@link #accept}/{@link #flush} and must not call back into this
 * segmenter.
 *
 * <p>Thread contract: not thread-safe; one per generation, used on the session's loop.
 */
public final class SpeechSegmenter {
  private static final String PUNCTUATION = ".,;:!?…—–";
  private static final String CLOSERS = "\"')]”’»";
  private static final String OPENERS = "\"'([“‘«";
  /** Words whose period does not end a sentence; initials such as "J." and "U.S." are recognised by shape. */
  private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt",
      "ft", "vs", "etc", "approx", "dept", "inc", "ltd", "co", "corp", "gen", "gov", "sen", "rep", "rev", "capt",
      "col", "lt", "sgt", "ave", "blvd", "rd", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
      "nov", "dec", "mon", "tue", "tues", "thu", "thur", "thurs", "fri");
  private static final int LONGEST_ABBREVIATION = 6;
  private static final int NONE = 0;
  private static final int CLAUSE = 1;
  private static final int SENTENCE = 2;

  private final SegmenterConfig config;
  private final Consumer<String> sink;
  private final StringBuilder text = new StringBuilder(); // speakable text not yet released; '\n' ends a line
  private final MarkupFilter markup = new MarkupFilter(text);
  private boolean first = true; // the next segment is the generation's first
  private int scanFrom;         // text before this index has been looked at for boundaries
  private int lastBoundary;     // end of the latest boundary not released (0 = none), where a cap cut goes

  public SpeechSegmenter(SegmenterConfig config, Consumer<String> sink) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Takes the next piece of model text, split anywhere, and releases every segment it completes. */
  public void accept(String fragment) {
    if (fragment.isEmpty()) return;
    markup.accept(fragment);
    scan(false);
  }

  /**
   * End of the model's output: releases all remaining speakable text; an open reasoning span or code fence is dropped.
   * Text accepted afterwards (the answer after a tool call) starts fresh: its first segment is again a quick one.
   */
  public void flush() {
    markup.finish();
    scan(true);
    if (!text.isEmpty()) release(text.length());
    first = true;
  }

  /** Barge-in: drops everything buffered; the next segment follows the first-segment rule again. */
  public void reset() {
    text.setLength(0);
    markup.reset();
    first = true;
    scanFrom = 0;
    lastBoundary = 0;
  }

  /** Whether text is buffered that may still be released. */
  public boolean hasPending() {
    return !text.isEmpty() || markup.hasPending();
  }

  private void scan(boolean end) {
    int max = config.maxSegmentChars();
    int i = Math.min(scanFrom, text.length());
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' && i == text.length() - 1 && !end) break; // the filter may still turn a trailing space into '.'
      if (c != ' ' && c != '\n' && i >= max) {
        capCut();
        i = 0;
      } else if (c == '\n') {
        i = boundary(i, true) ? 0 : i + 1;
      } else if (PUNCTUATION.indexOf(c) < 0) {
        i++;
      } else {
        int k = afterPunctuation(i);
        if (k == text.length() && !end) break; // the next character decides
        int kind = k == text.length() || MarkupFilter.isSpace(text.charAt(k)) ? kind(i) : NONE;
        i = kind != NONE && boundary(k, kind == SENTENCE) ? 0 : k;
      }
    }
    scanFrom = i;
  }

  /** A confirmed boundary ends text at {@code cut}: releases it if the rules allow, else remembers it for a cap cut. */
  private boolean boundary(int cut, boolean sentence) {
    if (cut == 0 || cut > config.maxSegmentChars()) return false;
    boolean release = first ? words(cut) >= config.firstSegmentMinWords()
        : sentence && cut >= config.minSegmentChars();
    if (release) release(cut);
    else lastBoundary = cut;
    return release;
  }

  /** The text reached the cap: cut at the last boundary, else the last space before the cap, else at the cap. */
  private void capCut() {
    int cut = lastBoundary;
    for (int w = Math.min(config.maxSegmentChars(), text.length() - 1); cut == 0 && w > 0; w--) {
      if (MarkupFilter.isSpace(text.charAt(w))) cut = w;
    }
    release(cut == 0 ? config.maxSegmentChars() : cut);
  }

  private void release(int cut) {
    String segment = text.substring(0, cut).strip().replace('\n', ' ');
    int start = cut;
    while (start < text.length() && MarkupFilter.isSpace(text.charAt(start))) start++;
    text.delete(0, start);
    first = false;
    scanFrom = 0;
    lastBoundary = 0;
    if (!segment.isEmpty()) sink.accept(segment);
  }

  /** End of the punctuation run at {@code i} and of any closing quotes or brackets after it. */
  private int afterPunctuation(int i) {
    int k = i;
    while (k < text.length() && PUNCTUATION.indexOf(text.charAt(k)) >= 0) k++;
    while (k < text.length() && CLOSERS.indexOf(text.charAt(k)) >= 0) k++;
    return k;
  }

  /** What the confirmed punctuation run at {@code i} ends: a sentence, a clause, or nothing (an abbreviation). */
  private int kind(int i) {
    int dots = 0;
    boolean stop = false;
    boolean clause = false;
    for (int k = i; k < text.length() && PUNCTUATION.indexOf(text.charAt(k)) >= 0; k++) {
      switch (text.charAt(k)) {
        case '.' -> dots++;
        case '!', '?', '…' -> stop = true;
        default -> clause = true;
      }
    }
    if (stop || dots > 1) return SENTENCE;
    if (dots == 1 && !isAbbreviation(i)) return SENTENCE;
    return clause ? CLAUSE : NONE;
  }

  private boolean isAbbreviation(int dot) {
    int start = dot;
    while (start > 0 && !MarkupFilter.isSpace(text.charAt(start - 1))) start--;
    while (start < dot && OPENERS.indexOf(text.charAt(start)) >= 0) start++;
    if (dot - start == 1) return Character.isUpperCase(text.charAt(start)); // an initial: "J. R. R. Tolkien"
    if (isDottedInitials(start, dot)) return true;
    return dot - start <= LONGEST_ABBREVIATION
        && ABBREVIATIONS.contains(text.substring(start, dot).toLowerCase(Locale.ROOT));
  }

  /** "e.g", "U.S", "a.m", "Ph.D": parts of one or two letters joined by periods. */
  private boolean isDottedInitials(int start, int end) {
    int part = 0;
    boolean dotted = false;
    for (int p = start; p < end; p++) {
      char ch = text.charAt(p);
      if (ch == '.' && part > 0) {
        dotted = true;
        part = 0;
      } else if (Character.isLetter(ch) && part < 2) {
        part++;
      } else {
        return false;
      }
    }
    return dotted && part > 0;
  }

  /** Words (tokens with a letter or digit) in the text before {@code end}. */
  private int words(int end) {
    int words = 0;
    boolean inWord = false;
    for (int p = 0; p < end; p++) {
      char ch = text.charAt(p);
      if (MarkupFilter.isSpace(ch)) {
        inWord = false;
      } else if (!inWord && Character.isLetterOrDigit(ch)) {
        inWord = true;
        words++;
      }
    }
    return words;
  }
}
