package voiceagent.core.internal.turn;

import java.util.Locale;
import java.util.Set;

/**
 * Streaming filter from model text to speakable plain text, used by {@link SpeechSegmenter}. It drops reasoning spans
 * ({@code <think>}, {@code <thinking>}, {@code <reasoning>}), fenced code blocks with their content, HTML tags, images
 * and horizontal rules, and keeps the words of headings, list items, quotes, emphasis, inline code, links and table
 * rows (cells joined with commas, separator rows dropped). Input may be split anywhere: a character that could still
 * start markup is held until the next characters decide it; everything else is written at once.
 *
 * <p>Output: single spaces, no space at the start or end of a line, and {@code '\n'} only after a line with text,
 * which the segmenter takes as a sentence end. A line whose text ends in a word gets a period first, so list items,
 * headings and table rows are read as sentences. Only a trailing space of the output is ever rewritten.
 *
 * <p>Thread contract: not thread-safe; owned by one segmenter.
 */
final class MarkupFilter {
  /** Longest {@code <tag ...>} waited for: past it, {@code <} is text, as in "a<b and many more words". */
  private static final int MAX_TAG_CHARS = 64;
  private static final Set<String> REASONING_TAGS = Set.of("think", "thinking", "reasoning");
  private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final String STOPS = ".,;:!?…—–";
  private static final String SEPARATOR_ROW_CHARS = "|-: \t";

  private final StringBuilder out;                            // the segmenter's buffer, appended to
  private final StringBuilder pending = new StringBuilder(); // input not yet decided, from index pos
  private int pos;

  // Line state, reset at every line end.
  private boolean atLineStart = true; // line markers (#, -, 1., >, |, ~~~) may still come
  private boolean lineHasText;        // a non-space character was written on this line
  private boolean spaceWritten;       // the last character written is a space
  private boolean needsPeriod;        // the line's text ends in a word or number
  private boolean tableRow;           // the line began with '|': bars separate cells
  private boolean maybeSeparatorRow;  // table row of only '|', '-', ':' so far
  private boolean cellBreak;          // a bar was passed: a comma goes before the next text
  private boolean inCode;             // inside `inline code`: characters are literal
  private boolean linkText;           // inside [link text]
  private boolean imageAlt;           // inside ![alt text], dropped
  private int urlDepth;               // > 0 while dropping a link target "(...)"
  private char prev = '\n';           // previous input character, for emphasis flanking

  // Block state, spans lines.
  private char fenceChar;             // '`' or '~' of the open fence
  private int fenceLength;            // length of the opening fence, 0 outside a fenced block
  private String reasoningEnd;        // closing tag while inside a reasoning span, else null

  MarkupFilter(StringBuilder out) {
    this.out = out;
  }

  void accept(CharSequence fragment) {
    pending.append(fragment);
    resolve(false);
  }

  /** End of input: undecided characters are taken as text; an open fence or reasoning span is dropped. */
  void finish() {
    resolve(true);
    reset();
  }

  void reset() {
    pending.setLength(0);
    pos = 0;
    fenceLength = 0;
    reasoningEnd = null;
    newLine();
  }

  /** Whether input is held that may still become speakable text. */
  boolean hasPending() {
    return pos < pending.length() && fenceLength == 0 && reasoningEnd == null;
  }

  private void resolve(boolean end) {
    while (pos < pending.length() && step(end)) {
      // each step consumes input or settles a state; it returns false only to wait for more input
    }
    pending.delete(0, pos);
    pos = 0;
  }

  private boolean step(boolean end) {
    char c = pending.charAt(pos);
    if (reasoningEnd != null) return skipReasoning(end);
    if (fenceLength > 0) return skipFence(end);
    if (c == '\n') {
      take(1);
      endLine();
      return true;
    }
    if (atLineStart) return lineStart(c, end);
    if (maybeSeparatorRow) return separatorRow(end);
    if (urlDepth > 0) {
      if (c == '(') urlDepth++;
      else if (c == ')') urlDepth--;
      return take(1);
    }
    if (imageAlt && c != ']') return take(1);
    if (inCode && c != '`') return emit(c);
    return switch (c) {
      case '`' -> backticks(end);
      case '*', '_' -> emphasis(c, end);
      case '~' -> tildes(end);
      case '<' -> tag(end);
      case '!' -> bang(end);
      case ']' -> closeBracket(end);
      case '\\' -> escape(end);
      case '[' -> {
        linkText = true;
        yield take(1);
      }
      case '|' -> {
        if (!tableRow) yield emit(c);
        cellBreak = lineHasText;
        yield take(1);
      }
      default -> emit(c);
    };
  }

  private boolean lineStart(char c, boolean end) {
    switch (c) {
      case ' ', '\t', '>' -> { // indentation and quote markers; still at line start after them
        return take(1);
      }
      case '#' -> {
        int n = run('#');
        if (need(n, end)) return false;
        if (n <= 6 && (at(n) == ' ' || at(n) == '\n' || at(n) < 0)) take(n);
      }
      case '-', '*', '+', '_', '=' -> {
        int n = run(c);
        if (need(n, end)) return false;
        if (n == 1 && at(1) == ' ' && (c == '-' || c == '*' || c == '+')) {
          take(2);
        } else if (n >= 3 && c != '+') {
          int rule = ruleLength(c, n, end);
          if (rule < 0) return false;
          take(rule);
        }
      }
      case '|' -> {
        tableRow = true;
        maybeSeparatorRow = true;
      }
      case '~' -> {
        int n = run('~');
        if (need(n, end)) return false;
        if (n >= 3) {
          openFence('~', n);
          atLineStart = false;
          return take(n);
        }
      }
      default -> {
        if (c >= '0' && c <= '9') {
          int n = 0;
          while (at(n) >= '0' && at(n) <= '9') n++;
          if (need(n, end) || ((at(n) == '.' || at(n) == ')') && need(n + 1, end))) return false;
          if (n <= 9 && (at(n) == '.' || at(n) == ')') && at(n + 1) == ' ') take(n + 2);
        }
      }
    }
    atLineStart = false;
    return true;
  }

  /** A line of only {@code c} and spaces ("---", "***", "===") is a rule: its length, 0 if not one, -1 to wait. */
  private int ruleLength(char c, int from, boolean end) {
    for (int i = from; ; i++) {
      int ch = at(i);
      if (ch < 0) return end ? i : -1;
      if (ch == '\n') return i;
      if (ch != c && ch != ' ') return 0;
    }
  }

  private boolean separatorRow(boolean end) {
    for (int i = 0; ; i++) {
      int ch = at(i);
      if (ch < 0) return end && take(i);
      if (ch == '\n') {
        maybeSeparatorRow = false;
        return take(i);
      }
      if (SEPARATOR_ROW_CHARS.indexOf(ch) < 0) {
        maybeSeparatorRow = false;
        return true;
      }
    }
  }

  private boolean backticks(boolean end) {
    int n = run('`');
    if (need(n, end)) return false;
    if (inCode) inCode = false;
    else if (n >= 3) openFence('`', n);
    else inCode = true;
    return take(n);
  }

  private void openFence(char c, int length) {
    fenceChar = c;
    fenceLength = length;
  }

  private boolean skipFence(boolean end) {
    if (pending.charAt(pos) != fenceChar) return take(distanceTo(fenceChar));
    int n = run(fenceChar);
    if (need(n, end)) return false;
    if (n >= fenceLength) fenceLength = 0;
    return take(n);
  }

  private boolean skipReasoning(boolean end) {
    if (pending.charAt(pos) != '<') return take(distanceTo('<'));
    int m = Math.min(reasoningEnd.length(), pending.length() - pos);
    for (int i = 0; i < m; i++) {
      if (Character.toLowerCase(pending.charAt(pos + i)) != reasoningEnd.charAt(i)) return take(1);
    }
    if (m < reasoningEnd.length()) return end && take(m);
    reasoningEnd = null;
    return take(m);
  }

  /** Emphasis runs are dropped unless spaced on both sides ("5 * 3") or inside a word or number (snake_case, 2*3). */
  private boolean emphasis(char c, boolean end) {
    int n = run(c);
    if (need(n, end)) return false;
    int next = at(n);
    boolean literal = (isSpace(prev) && (next < 0 || isSpace((char) next)))
        || (c == '_' && Character.isLetterOrDigit(prev) && next >= 0 && Character.isLetterOrDigit(next))
        || (c == '*' && Character.isDigit(prev) && next >= 0 && Character.isDigit(next));
    for (int i = 0; literal && i < n; i++) write(c);
    return take(n);
  }

  /** "~~" is strikethrough markup (a longer run is a stray fence); a single "~" means "about" and stays. */
  private boolean tildes(boolean end) {
    int n = run('~');
    if (need(n, end)) return false;
    if (n == 1) write('~');
    return take(n);
  }

  private boolean tag(boolean end) {
    int i = at(1) == '/' ? 2 : 1;
    if (need(i, end)) return false;
    if (!isAsciiLetter(at(i))) return emit('<');
    int nameStart = i;
    while (isAsciiLetter(at(i)) || (at(i) >= '0' && at(i) <= '9')) i++;
    int nameEnd = i;
    for (; i <= MAX_TAG_CHARS; i++) {
      int ch = at(i);
      if (ch < 0 && !end) return false;
      if (ch < 0 || ch == '<' || ch == '\n') break;
      if (ch == '>') return closeTag(nameStart, nameEnd, i + 1);
    }
    return emit('<');
  }

  private boolean closeTag(int nameStart, int nameEnd, int length) {
    if (at(nameEnd) == ':') { // autolink <https://example.com>: keep the address
      for (int k = nameStart; k < length - 1; k++) write(pending.charAt(pos + k));
      return take(length);
    }
    String name = pending.substring(pos + nameStart, pos + nameEnd).toLowerCase(Locale.ROOT);
    boolean opening = at(1) != '/' && at(length - 2) != '/';
    take(length);
    if (opening && REASONING_TAGS.contains(name)) reasoningEnd = "</" + name + ">";
    else if (name.equals("br") || name.equals("p")) write(' ');
    return true;
  }

  private boolean bang(boolean end) {
    if (need(1, end)) return false;
    if (at(1) != '[') return emit('!');
    imageAlt = true;
    return take(2);
  }

  private boolean closeBracket(boolean end) {
    if (!linkText && !imageAlt) return emit(']');
    if (need(1, end)) return false;
    boolean target = at(1) == '(';
    linkText = false;
    imageAlt = false;
    urlDepth = target ? 1 : 0;
    return take(target ? 2 : 1);
  }

  private boolean escape(boolean end) {
    if (need(1, end)) return false;
    int next = at(1);
    take(1);
    return next < 0 || ASCII_PUNCTUATION.indexOf(next) < 0 || emit((char) next);
  }

  private void endLine() {
    if (lineHasText) {
      int n = out.length();
      boolean trailingSpace = n > 0 && out.charAt(n - 1) == ' ';
      if (needsPeriod && trailingSpace) out.setCharAt(n - 1, '.');
      else if (needsPeriod) out.append('.');
      else if (trailingSpace) out.setLength(n - 1);
      out.append('\n');
    }
    newLine();
  }

  private void newLine() {
    atLineStart = true;
    lineHasText = spaceWritten = needsPeriod = false;
    tableRow = maybeSeparatorRow = cellBreak = false;
    inCode = linkText = imageAlt = false;
    urlDepth = 0;
    prev = '\n';
  }

  private boolean emit(char c) {
    write(c);
    return take(1);
  }

  private void write(char c) {
    if (isSpace(c)) {
      if (lineHasText && !spaceWritten) out.append(' ');
      spaceWritten = lineHasText;
      return;
    }
    if (cellBreak && needsPeriod) { // "a | b" reads "a, b"; a cell ending in punctuation needs no comma
      int n = out.length();
      if (n > 0 && out.charAt(n - 1) == ' ') out.setCharAt(n - 1, ',');
      else out.append(',');
      out.append(' ');
    } else if (cellBreak && !spaceWritten) {
      out.append(' ');
    }
    cellBreak = false;
    out.append(c);
    spaceWritten = false;
    lineHasText = true;
    if (Character.isLetterOrDigit(c) || c == '%') needsPeriod = true;
    else if (STOPS.indexOf(c) >= 0) needsPeriod = false;
  }

  /** Consumes {@code n} input characters; always true, so a step can end with {@code return take(n)}. */
  private boolean take(int n) {
    if (n > 0) prev = pending.charAt(pos + n - 1);
    pos += n;
    return true;
  }

  /** The input character {@code i} places ahead, or -1 when it has not arrived. */
  private int at(int i) {
    int index = pos + i;
    return index < pending.length() ? pending.charAt(index) : -1;
  }

  /** Whether character {@code i} is still unknown and may arrive. */
  private boolean need(int i, boolean end) {
    return !end && at(i) < 0;
  }

  private int run(char c) {
    int n = 0;
    while (at(n) == c) n++;
    return n;
  }

  private int distanceTo(char c) {
    for (int i = pos; i < pending.length(); i++) {
      if (pending.charAt(i) == c) return i - pos;
    }
    return pending.length() - pos;
  }

  private static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
