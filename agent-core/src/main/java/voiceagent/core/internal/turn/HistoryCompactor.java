package voiceagent.core.internal.turn;

import java.util.List;
import voiceagent.core.ChatMessage;
import voiceagent.core.EncodedMessages;

/**
 * Where to cut a conversation's history so that what stays fits a target, in one step: the smallest cut that fits,
 * moved on to the next user message when there is one (a kept history that starts with the caller's words reads
 * naturally to the model), never onto a {@code tool} message (a call and its result stay together), never past a
 * limit (the running turn), and never into the protected messages at the start (the call context).
 *
 * <p>Thread contract: stateless.
 */
final class HistoryCompactor {
  private HistoryCompactor() {}

  /**
   * @param history     the messages, with their encoded sizes
   * @param keepFrom    the first message that may be dropped
   * @param limit       the last index the cut may reach ({@code history.size()} for all)
   * @param maxBytes    the kept messages' encoded size to fit under
   * @param maxMessages the kept messages' count to fit under
   * @return the index the kept history resumes at: messages {@code [keepFrom, cut)} are dropped; {@code keepFrom}
   *     when nothing can go
   */
  static int cut(EncodedMessages history, int keepFrom, int limit, long maxBytes,
      int maxMessages) {
    int size = history.size();
    long[] suffix = new long[size + 1]; // suffix[i]: encoded size of messages [i, size)
    for (int i = size - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + history.encodedLength(i);
    long keptAlways = suffix[0] - suffix[keepFrom];
    int largest = keepFrom;
    for (int i = keepFrom + 1; i <= Math.min(limit, size); i++) {
      if (!boundary(history, i)) continue;
      largest = i;
      if (keptAlways + suffix[i] <= maxBytes && keepFrom + size - i <= maxMessages) return toUserMessage(history, i, limit);
    }
    return largest;
  }

  /** A cut at {@code i} keeps every call with its result: the kept history does not start with a tool message. */
  private static boolean boundary(List<ChatMessage> history, int i) {
    return i == history.size() || !history.get(i).role().equals("tool");
  }

  private static int toUserMessage(List<ChatMessage> history, int from, int limit) {
    for (int i = from; i <= Math.min(limit, history.size() - 1); i++) {
      if (history.get(i).role().equals("user")) return i;
    }
    return from;
  }
}
