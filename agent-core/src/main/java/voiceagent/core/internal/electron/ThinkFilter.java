package voiceagent.core.internal.electron;

/**
 * Removes inline reasoning spans ({@code <think>…</think>}, also {@code <thinking>} and {@code <reasoning>}) from
 * streamed text. Text that might be the start of a tag is held back until the next fragment decides it, so a tag
 * split across fragments ({@code "<thi"} + {@code "nk>"}) is never spoken.
 *
 * <p>Thread contract: not thread-safe; one per stream.
 */
public final class ThinkFilter {
  private static final String[] OPEN = {"<think>", "<thinking>", "<reasoning>"};
  private static final String[] CLOSE = {"</think>", "</thinking>", "</reasoning>"};

  private final StringBuilder pending = new StringBuilder();
  private int insideTag = -1; // index into OPEN/CLOSE while inside a span

  /** Feeds a fragment; returns the text that is certainly speakable now (possibly empty). */
  public String accept(String fragment) {
    // The common case, once per token: plain text with nothing held back passes through untouched.
    if (insideTag < 0 && pending.isEmpty() && fragment.indexOf('<') < 0) return fragment;
    pending.append(fragment);
    StringBuilder out = new StringBuilder();
    while (true) {
      if (insideTag >= 0) {
        int end = pending.indexOf(CLOSE[insideTag]);
        if (end < 0) {
          keepPossiblePrefix(CLOSE[insideTag]);
          return out.toString();
        }
        pending.delete(0, end + CLOSE[insideTag].length());
        insideTag = -1;
        continue;
      }
      int lt = pending.indexOf("<");
      if (lt < 0) {
        out.append(pending);
        pending.setLength(0);
        return out.toString();
      }
      out.append(pending, 0, lt);
      pending.delete(0, lt);
      int match = matchOpen();
      if (match == -2) return out.toString(); // could still become a tag: wait for more text
      if (match >= 0) {
        pending.delete(0, OPEN[match].length());
        insideTag = match;
      } else {
        out.append('<');
        pending.deleteCharAt(0);
      }
    }
  }

  /** End of the stream: text held back because it looked like a tag start is released; an open span is dropped. */
  public String finish() {
    String rest = insideTag >= 0 ? "" : pending.toString();
    pending.setLength(0);
    insideTag = -1;
    return rest;
  }

  /** Index of the opening tag at the head of pending, -1 when none can match, -2 when it is too early to tell. */
  private int matchOpen() {
    boolean prefix = false;
    for (int i = 0; i < OPEN.length; i++) {
      String tag = OPEN[i];
      int n = Math.min(tag.length(), pending.length());
      if (pending.substring(0, n).equalsIgnoreCase(tag.substring(0, n))) {
        if (n == tag.length()) return i;
        prefix = true;
      }
    }
    return prefix ? -2 : -1;
  }

  /** Inside a span: drop everything except a tail that may be the beginning of the closing tag. */
  private void keepPossiblePrefix(String close) {
    int keep = 0;
    for (int k = Math.min(close.length() - 1, pending.length()); k > 0; k--) {
      if (pending.substring(pending.length() - k).equalsIgnoreCase(close.substring(0, k))) {
        keep = k;
        break;
      }
    }
    pending.delete(0, pending.length() - keep);
  }
}
