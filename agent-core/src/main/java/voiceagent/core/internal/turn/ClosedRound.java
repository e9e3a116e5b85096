package voiceagent.core.internal.turn;

import java.util.List;
import voiceagent.core.ChatMessage;

/**
 * A round that ended before its answer did (interrupted, cancelled or failed), waiting to be written to the history:
 * its assistant content, cut to what the caller heard, and the tool calls it keeps (those that had finished, and
 * side-effecting ones that had started and run on). It is written once the heard length is known ({@link #hear}) and
 * every kept call has its result; until then the next turn waits, so that its first request tells the model what
 * happened.
 *
 * <p>Thread contract: confined to the conversation's loop.
 */
final class ClosedRound {
  private final int turn;
  private final String content;
  private final List<ToolRound.Entry> kept;
  private final String outcome;
  private int heard = -1; // -1 until the heard length is known

  /**
   * @param content the round's assistant content as handed to speech (reply segments joined by single spaces)
   * @param kept    the calls kept by {@link ToolRound#interrupt()}
   * @param outcome {@code interrupted}, {@code cancelled} or {@code failed}, for the log
   */
  ClosedRound(int turn, String content, List<ToolRound.Entry> kept, String outcome) {
    this.turn = turn;
    this.content = content;
    this.kept = List.copyOf(kept);
    this.outcome = outcome;
  }

  int turn() {
    return turn;
  }

  String outcome() {
    return outcome;
  }

  boolean keeps(ToolRound.Entry entry) {
    for (ToolRound.Entry e : kept) if (e == entry) return true;
    return false;
  }

  boolean heardKnown() {
    return heard >= 0;
  }

  /** The caller heard the first {@code chars} characters of the content (clamped to its length). */
  void hear(int chars) {
    heard = Math.clamp(chars, 0, content.length());
  }

  /** Everything handed to speech counts as heard. */
  void hearAll() {
    heard = content.length();
  }

  int heardChars() {
    return heard;
  }

  int spokenChars() {
    return content.length();
  }

  int keptCalls() {
    return kept.size();
  }

  /** Whether it can be written: the heard length is known and every kept call has its result. */
  boolean ready() {
    if (heard < 0) return false;
    for (ToolRound.Entry e : kept) if (e.result == null) return false;
    return true;
  }

  /** What goes into the history: the heard text (none when empty) with the kept calls and their results. */
  List<ChatMessage> messages() {
    String text = content.substring(0, heard).stripTrailing();
    if (!kept.isEmpty()) return ToolRound.messages(text, kept);
    return text.isEmpty() ? List.of() : List.of(ChatMessage.assistant(text, List.of()));
  }
}
