package voiceagent.core.internal.turn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import voiceagent.core.ChatMessage;
import voiceagent.tools.ToolCall;
import voiceagent.tools.ToolExecution;
import voiceagent.tools.ToolResult;

/**
 * The tool calls of one round: started as their arguments complete, finished in any order, written to the history in
 * the order of the assistant's {@code tool_calls}.
 *
 * <p>Thread contract: confined to the conversation's loop.
 */
final class ToolRound {

  /** One call of the round: run by the executor, answered at once (a refused loop), or held (a terminal call). */
  static final class Entry {
    final int index;
    final ToolCall call;
    ToolExecution execution; // null when answered without running, or while held
    ToolResult result;

    Entry(int index, ToolCall call, ToolExecution execution, ToolResult result) {
      this.index = index;
      this.call = call;
      this.execution = execution;
      this.result = result;
    }

    /** A terminal call waiting for its release: reported started, not run. */
    boolean held() {
      return execution == null && result == null;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  void add(Entry entry) {
    entries.add(entry);
  }

  int size() {
    return entries.size();
  }

  boolean allDone() {
    for (Entry e : entries) if (e.result == null) return false;
    return true;
  }

  /** Whether a started call has no result yet (a held call is not running: nothing is being waited for). */
  boolean anyRunning() {
    for (Entry e : entries) if (e.result == null && e.execution != null) return true;
    return false;
  }

  int heldCount() {
    int n = 0;
    for (Entry e : entries) if (e.held()) n++;
    return n;
  }

  /** The held call {@code callId} of this round, or null. */
  Entry held(String callId) {
    for (Entry e : entries) if (e.held() && e.call.id().equals(callId)) return e;
    return null;
  }

  /**
   * Stops the round's calls by the rule of {@code Tool.sideEffects()}: pending and held calls never start, running
   * read-only calls are cancelled, running side-effecting calls run on. Returns the entries to keep: those that
   * finished and those that run on (their results follow); a call that never ran is dropped, its
   * {@code tool_calls} entry with it.
   */
  List<Entry> interrupt() {
    List<Entry> kept = new ArrayList<>();
    for (Entry e : entries) {
      if (e.result != null || e.execution != null && e.execution.interrupt()) kept.add(e);
    }
    return kept;
  }

  /** The assistant message and its tool messages, in {@code tool_calls} order, for the given entries. */
  static List<ChatMessage> messages(String spoken, List<Entry> finished) {
    List<Entry> ordered = new ArrayList<>(finished);
    ordered.sort(Comparator.comparingInt(e -> e.index));
    List<ChatMessage.ToolCallRef> refs = new ArrayList<>();
    for (Entry e : ordered) refs.add(new ChatMessage.ToolCallRef(e.call.id(), e.call.name(), e.call.rawArguments()));
    List<ChatMessage> out = new ArrayList<>();
    out.add(ChatMessage.assistant(spoken, refs));
    for (Entry e : ordered) out.add(ChatMessage.tool(e.call.id(), e.result.content()));
    return out;
  }

  List<Entry> entries() {
    return entries;
  }

}
