package voiceagent.core.internal.electron;

/**
 * Keeps only the {@code final} channel of gpt-oss "harmony" output that a server without a harmony parser (llama.cpp,
 * some vLLM builds) leaves in {@code content}:
 * {@code <|channel|>analysis<|message|>…<|end|><|start|>assistant<|channel|>final<|message|>…<|return|>}. The
 * {@code analysis} and {@code commentary} channels, message headers and every {@code <|token|>} are dropped, so they
 * are never spoken nor kept as the assistant's content. Text without markup passes through untouched.
 *
 * <p>States: SPEAK (text outside any harmony message, or inside a {@code final} one) is emitted; HEADER (after
 * {@code <|start|>}, {@code <|channel|>} or the end of a message, until {@code <|message|>}) is read for the channel
 * name and dropped; SILENT (inside any other channel's message) is dropped. Input may be split anywhere: a {@code <}
 * that may start a token is held until the next fragment decides it.
 *
 * <p>Thread contract: not thread-safe; one per stream.
 */
public final class HarmonyFilter {
  /** Harmony's special tokens are short words; a longer run after {@code <|} is text, not a token. */
  private static final int MAX_TOKEN_CHARS = 24;
  /** A header holds a role, a channel name and a recipient such as {@code to=functions.get_weather}. */
  private static final int MAX_HEADER_CHARS = 256;

  private enum State { SPEAK, HEADER, SILENT }

  private final StringBuilder pending = new StringBuilder(); // undecided input: starts with '<' when non-empty
  private final StringBuilder header = new StringBuilder();  // header text after the last <|channel|>
  private State state = State.SPEAK;
  private boolean channelNamed; // the current header has a <|channel|>

  /** Feeds a fragment; returns the text that is certainly speakable now (possibly empty). */
  public String accept(String fragment) {
    // The common case, once per token: plain text with nothing held back passes through untouched.
    if (state == State.SPEAK && pending.isEmpty() && fragment.indexOf('<') < 0) return fragment;
    pending.append(fragment);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pending.length()) {
      int lt = pending.indexOf("<", i);
      int end = lt < 0 ? pending.length() : lt;
      take(pending, i, end, out);
      if (lt < 0) {
        i = end;
        break;
      }
      int token = tokenEnd(lt);
      if (token == -2) { // could still become a token: wait for more input
        i = lt;
        break;
      }
      if (token == -1) { // not a token: a plain '<'
        take(pending, lt, lt + 1, out);
        i = lt + 1;
        continue;
      }
      onToken(pending.substring(lt + 2, token - 2));
      i = token;
    }
    pending.delete(0, i);
    return out.toString();
  }

  /**
   * End of the stream: a held {@code <} that never became a token is text; a held partial token and any open header
   * or silent message are dropped.
   */
  public String finish() {
    String rest = state == State.SPEAK && !pending.toString().startsWith("<|") ? pending.toString() : "";
    pending.setLength(0);
    return rest;
  }

  /** Routes {@code s[from, to)} by state: emitted while speaking, kept as header text, or dropped. */
  private void take(CharSequence s, int from, int to, StringBuilder out) {
    if (from >= to) return;
    switch (state) {
      case SPEAK -> out.append(s, from, to);
      case HEADER -> header.append(s, from, Math.min(to, from + Math.max(0, MAX_HEADER_CHARS - header.length())));
      case SILENT -> { }
    }
  }

  /**
   * Where the token starting at {@code lt} ends (the index after {@code |>}), -1 when the text there is not a token,
   * -2 when it is too early to tell.
   */
  private int tokenEnd(int lt) {
    int n = pending.length();
    if (lt + 1 >= n) return -2;
    if (pending.charAt(lt + 1) != '|') return -1;
    for (int j = lt + 2; j < n; j++) {
      char c = pending.charAt(j);
      if (c == '|') {
        if (j + 1 >= n) return -2;
        return pending.charAt(j + 1) == '>' && j > lt + 2 ? j + 2 : -1;
      }
      if (!(c >= 'a' && c <= 'z' || c == '_') || j - lt - 2 >= MAX_TOKEN_CHARS) return -1;
    }
    return -2;
  }

  private void onToken(String name) {
    switch (name) {
      case "start", "end", "return", "call" -> {
        state = State.HEADER;
        header.setLength(0);
        channelNamed = false;
      }
      case "channel" -> {
        state = State.HEADER;
        header.setLength(0);
        channelNamed = true;
      }
      case "message" -> {
        if (state == State.HEADER) state = speaks() ? State.SPEAK : State.SILENT;
      }
      default -> {
        // Other tokens (<|constrain|>, ...) are markup: never spoken; inside a header they only separate words.
        if (state == State.HEADER) header.append(' ');
      }
    }
  }

  /** A message is speech when its channel is {@code final}, or when its header names no channel at all. */
  private boolean speaks() {
    if (!channelNamed) return true;
    String h = header.toString().strip();
    int space = 0;
    while (space < h.length() && !Character.isWhitespace(h.charAt(space))) space++;
    return h.substring(0, space).equalsIgnoreCase("final");
  }
}
