package voiceagent.core.internal.turn;

import io.vertx.core.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.Clock;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.ChatRequest;
import voiceagent.core.EncodedMessages;
import voiceagent.core.HistoryBudget;
import voiceagent.tools.Tool;

/**
 * Runs the turns of one conversation: streams each round's Electron answer, hands text to speech the moment a segment
 * is ready, starts every tool call as soon as its arguments are complete (in parallel, while text still streams),
 * appends the assistant message and the {@code tool} messages in {@code tool_calls} order, and resumes — for at most
 * {@code maxToolRounds} rounds, the request after the last one being sent with {@code tool_choice: "none"}.
 *
 * <p><b>States.</b> Idle, or running one turn. A running turn first waits until the history is settled (see
 * <i>closing</i> below), then runs rounds (a request streaming, then its tools finishing) until it ends:
 * {@code answered}, {@code max_rounds}, {@code loop} or {@code reported} normally; {@code failed};
 * {@code cancelled} ({@link #cancelTurn()}); {@code interrupted} ({@link #interruptTurn()}). Whatever the ending, the
 * turn's listener gets exactly one {@link AgentEvent.TurnFinished}, last. Every Electron request is a generation;
 * text, tool results and timers carry theirs, and anything that arrives for a generation that is no longer the
 * current one of the running turn is dropped.
 *
 * <p><b>Closing.</b> A turn that ends cancelled, interrupted or failed leaves its last round <i>closing</i>: the
 * round's assistant content and the tool calls it keeps are written to the history once (a) the heard length is known
 * — everything spoken for {@code cancelled} and {@code failed}, {@link #commitHeard} for {@code interrupted} — and (b)
 * every side-effecting call it keeps has its result (bounded by the tool's timeout; see {@link Tool#sideEffects()}).
 * A new turn, or {@link #appendAssistant}, waits for that; a new turn also settles an interrupted round whose heard
 * length never came by committing everything spoken.
 *
 * <p><b>Two-phase interruption (barge-in).</b> {@link #interruptTurn()} stops generation at once: the stream is
 * closed, buffered text is dropped, pending tool calls never start, running read-only calls are cancelled, running
 * side-effecting calls run on; {@code TurnFinished(outcome = "interrupted")} is reported. Nothing of the cut round is
 * written yet. {@link #commitHeard(int, int)} then writes the round's assistant message cut to what the caller heard
 * (with its kept tool calls and results), logged as interrupted. When the turn had already finished (its answer
 * streamed completely and is still playing), {@code interruptTurn()} is a no-op and {@code commitHeard} still cuts the
 * turn's final assistant message, as long as nothing was appended after it.
 *
 * <p><b>History.</b> Append-only, in this order: the call-context system message (if any), then per turn the user
 * message, each round's assistant message and its {@code tool} messages; messages the runtime spoke
 * ({@link #appendAssistant}) go after the running turn's messages. Three exceptions, none of which touches what a
 * successful request carried except the first: past its {@link HistoryBudget} the oldest turns are dropped in one
 * step at a turn's start; a turn the server rejected for what it carried is taken back (after a context-length
 * rejection the history is first compacted, or an overlong user message trimmed, and the request retried once); and
 * {@link #commitHeard} may cut a finished answer that is still the last message.
 *
 * <p>Thread contract: confined to the conversation's loop ({@code context}); every method must be called there. The
 * listener of a turn is called on the loop, must not block, and may call back into the engine: such a call takes
 * effect right after the listener returns (events of the running generation may be reported meanwhile).
 */
public final class TurnEngine {
  private static final Logger log = LoggerFactory.getLogger(TurnEngine.class);

  final AgentRuntime runtime;
  final AgentConfig config;
  final Context context;
  final CallLog callLog;
  final Clock clock;
  // Each message encoded once. Appended to, and shortened only on purpose (compaction, a turn taken back, a cut to
  // what was heard), each time with guard.reset().
  private EncodedMessages history = EncodedMessages.empty();
  private final PrefixGuard guard;
  private final int keepFrom; // 1 when the history starts with the call-context message, which is never dropped
  // Every field below is touched only on the loop.
  private long generation;
  private int turnNumber;
  private Turn current;
  private ClosedRound closing;        // the last cut round, until it is written
  private Runnable afterClosing;      // the next turn's start, waiting for `closing`
  private final List<ChatMessage> deferred = new ArrayList<>(); // written right after `closing`
  private int lastAnswerTurn;         // the turn whose final assistant message is history's last message, or 0
  private int emitting;               // > 0 while a listener runs: engine calls from it are deferred
  // What the last request cost in tokens and bytes, for the history budget.
  private int lastPromptTokens;
  private int lastCompletionTokens;
  private long lastRequestBytes;
  private long prefixBytes;           // system messages and tool catalog, the part compaction cannot shrink
  private BigDecimal conversationCost = BigDecimal.ZERO;

  public TurnEngine(AgentRuntime runtime, Context context, CallLog callLog, Map<String, String> callVariables) {
    this.runtime = runtime;
    this.config = runtime.config();
    this.context = context;
    this.callLog = callLog;
    this.clock = runtime.clock();
    this.guard = new PrefixGuard(runtime.metrics().registry());
    if (callVariables != null && !callVariables.isEmpty()) {
      // Per-call facts go after the stable prefix (system prompt, static context, tools), sorted for stable bytes.
      StringBuilder s = new StringBuilder("Call context:");
      new TreeMap<>(callVariables).forEach((k, v) -> s.append('\n').append(k).append(": ").append(v));
      append(ChatMessage.system(s.toString()));
    }
    this.keepFrom = history.size();
  }

  /**
   * Starts a turn for {@code userText}; a turn still running is cancelled first (everything it spoke is kept), and an
   * interrupted round whose heard length never came is committed whole. Empty or blank text is ignored: nothing is
   * sent, no event is reported, a running turn goes on.
   *
   * @param listener receives the turn's events on the loop, {@link AgentEvent.TurnFinished} last
   * @return the turn's number (1, 2, ...), or 0 when the text was ignored
   */
  public int startTurn(String userText, Consumer<AgentEvent> listener) {
    if (userText == null || userText.isBlank()) {
      callLog.debug(log).log("blank user text ignored");
      return 0;
    }
    Turn t = new Turn(this, ++turnNumber, userText, listener);
    whenNotEmitting(() -> launch(t));
    return t.number;
  }

  /** Cancels the running turn (hang-up, a new turn): everything it spoke is kept. A no-op when no turn runs. */
  public void cancelTurn() {
    whenNotEmitting(() -> {
      if (current != null) current.stop("cancelled");
    });
  }

  /** Cancels turn {@code turn} if it is still the running one; any other turn is left alone. */
  public void cancelTurn(int turn) {
    whenNotEmitting(() -> {
      if (current != null && current.number == turn) current.stop("cancelled");
    });
  }

  /**
   * Barge-in, first phase: stops the running turn at once and reports {@code TurnFinished(outcome = "interrupted")};
   * its cut round waits for {@link #commitHeard}. A no-op when no turn runs.
   */
  public void interruptTurn() {
    whenNotEmitting(() -> {
      if (current != null) current.stop("interrupted");
    });
  }

  /**
   * Barge-in, second phase: the caller heard the first {@code heardChars} characters of turn {@code turn}'s
   * interrupted round (as counted by {@link AgentEvent.SpeechReady#charStart()}/{@code charEnd()}; the caller cuts at
   * a word boundary). Writes that round's assistant message cut there — with no text for 0, but with the tool calls
   * whose results are kept — and logs it as interrupted. For a turn that finished before the interruption, cuts its
   * final assistant message if nothing was appended after it. Ignored for any other turn.
   */
  public void commitHeard(int turn, int heardChars) {
    whenNotEmitting(() -> {
      if (closing != null && closing.turn() == turn && !closing.heardKnown()) {
        closing.hear(heardChars);
        writeClosingIfReady();
      } else if (lastAnswerTurn == turn && current == null && closing == null) {
        cutLastAnswer(heardChars);
      } else {
        callLog.debug(log).addKeyValue("turn_id", turn).log("heard length ignored: nothing of that turn waits");
      }
    });
  }

  /**
   * Appends an assistant message the runtime spoke on its own (a greeting, an idle prompt), so that the model knows it
   * was said. While a turn runs, it is written after that turn's messages; while a cut round waits to be written,
   * right after it. Blank text is ignored.
   */
  public void appendAssistant(String text) {
    if (text == null || text.isBlank()) return;
    ChatMessage m = ChatMessage.assistant(text.strip(), List.of());
    whenNotEmitting(() -> {
      if (current != null) {
        current.appendAfter.add(m);
      } else {
        lastAnswerTurn = 0;
        appendOrDefer(m);
      }
    });
  }

  /** The history so far (the call-context message, then user, assistant and tool messages), as a copy. */
  public List<ChatMessage> history() {
    return List.copyOf(history);
  }

  public BigDecimal conversationCost() {
    return conversationCost;
  }

  private void launch(Turn t) {
    if (current != null) current.stop("cancelled");
    if (closing != null && !closing.heardKnown()) closing.hearAll(); // a new turn: what was spoken counts as heard
    current = t;
    lastAnswerTurn = 0;
    t.turnLog.info(log).log("turn started");
    if (closing == null) {
      t.begin();
    } else {
      afterClosing = t::begin;
      writeClosingIfReady();
    }
  }

  private void whenNotEmitting(Runnable action) {
    if (emitting > 0) context.runOnContext(v -> action.run());
    else action.run();
  }

  /** Writes the closing round once it is ready, then what waited for it. */
  void writeClosingIfReady() {
    ClosedRound c = closing;
    if (c == null || !c.ready()) return;
    closing = null;
    for (ChatMessage m : c.messages()) append(m);
    callLog.with("turn_id", Integer.toString(c.turn())).info(log).addKeyValue("outcome", c.outcome())
        .addKeyValue("heard_chars", c.heardChars()).addKeyValue("spoken_chars", c.spokenChars())
        .addKeyValue("tool_calls", c.keptCalls()).log("cut round committed");
    for (ChatMessage m : deferred) append(m);
    deferred.clear();
    Runnable next = afterClosing;
    afterClosing = null;
    if (next != null) next.run();
  }

  private void cutLastAnswer(int heardChars) {
    int last = history.size() - 1;
    String content = history.get(last).content();
    int heard = Math.clamp(heardChars, 0, content.length());
    lastAnswerTurn = 0;
    if (heard == content.length()) return;
    String cut = content.substring(0, heard).stripTrailing();
    truncate(last);
    if (!cut.isEmpty()) append(ChatMessage.assistant(cut, List.of()));
    callLog.info(log).addKeyValue("outcome", "interrupted").addKeyValue("heard_chars", heard)
        .addKeyValue("spoken_chars", content.length()).log("answer cut to what was heard");
  }

  /**
   * The request for the history as it stands, {@code tool_choice: "none"} in a turn's final round: the agent's shared
   * system messages, then the history, both from their cached encodings, so nothing here costs the length of the
   * history (see {@link PrefixGuard} and {@link EncodedMessages}).
   */
  ChatRequest buildRequest(String systemPrompt, boolean finalRound, CallLog turnLog) {
    String toolsJson = config.tools().isEmpty() ? null : config.tools().catalogJson(); // one instance per agent
    EncodedMessages prefix = runtime.prefix().systemMessages(systemPrompt, config.staticContext(), toolsJson, turnLog);
    EncodedMessages messages = prefix.concat(history);
    guard.check(messages, toolsJson, turnLog);
    prefixBytes = prefix.encodedLength() + (toolsJson == null ? 0 : toolsJson.length());
    lastRequestBytes = prefixBytes + history.encodedLength();
    return ChatRequest.builder(runtime.model()).messages(messages).toolsJson(toolsJson)
        .toolChoice(toolsJson != null && finalRound ? "none" : null).maxTokens(config.maxTokens())
        .stop(config.stop()).temperature(config.temperature()).seed(config.seed()).build();
  }

  /**
   * Drops the oldest messages in one step so that the history fits half of its budget — or, after a context-length
   * rejection (the server's window is smaller than the budget assumed), half of what it holds — never reaching
   * {@code limit}; returns how many went.
   */
  int compact(String reason, int limit, CallLog turnLog) {
    HistoryBudget budget = config.history();
    long maxBytes = Math.max(0, (long) (budget.maxPromptTokens() / 2 / tokensPerByte()) - prefixBytes);
    int maxMessages = budget.maxMessages() / 2;
    if (reason.equals("context_length")) {
      maxBytes = Math.min(maxBytes, history.encodedLength() / 2);
      maxMessages = Math.min(maxMessages, history.size() / 2);
    }
    int cut = HistoryCompactor.cut(history, keepFrom, limit, maxBytes, maxMessages);
    int dropped = cut - keepFrom;
    if (dropped <= 0) return 0;
    history = history.slice(0, keepFrom).concat(history.slice(cut, history.size()));
    guard.reset(); // a shortened history on purpose: the next request is the new reference, not a violation
    lastPromptTokens = 0;
    lastCompletionTokens = 0;
    runtime.metrics().recordCompaction(reason);
    turnLog.info(log).addKeyValue("reason", reason).addKeyValue("dropped_messages", dropped)
        .addKeyValue("kept_messages", history.size()).log("history compacted");
    return dropped;
  }

  /** Tokens per encoded byte of the last request (from its usage); a JSON-ish 1 in 4 before any usage. */
  double tokensPerByte() {
    return lastPromptTokens > 0 && lastRequestBytes > 0 ? (double) lastPromptTokens / lastRequestBytes : 0.25;
  }

  /** Appends now, or right after the closing round when one waits. */
  void appendOrDefer(ChatMessage m) {
    if (closing != null) deferred.add(m);
    else append(m);
  }

  void append(ChatMessage m) {
    history = history.append(m);
  }

  /**
   * Drops the history from {@code size} on: only messages no request has carried, or carried by a rejected request
   * (nothing of them is in the server's cache), so the prefix guard starts over rather than report a change.
   */
  void truncate(int size) {
    history = history.slice(0, size);
    guard.reset();
  }

  // The turn's view of the engine: all on the loop.

  boolean isCurrent(Turn t) {
    return current == t;
  }

  /** {@code t} is over: from here on, its late text, tool results and timers find it superseded. */
  void release(Turn t) {
    if (current == t) current = null;
  }

  long nextGeneration() {
    return ++generation;
  }

  int historySize() {
    return history.size();
  }

  String historyContent(int index) {
    return history.get(index).content();
  }

  /** The reason a compaction is due at a turn's start, or null. */
  String compactionDue() {
    HistoryBudget budget = config.history();
    if (history.size() >= budget.maxMessages()) return "messages";
    if (lastPromptTokens + lastCompletionTokens >= budget.maxPromptTokens()) return "tokens";
    return null;
  }

  void recordUsage(int promptTokens, int completionTokens, BigDecimal cost) {
    lastPromptTokens = promptTokens;
    lastCompletionTokens = completionTokens;
    conversationCost = conversationCost.add(cost);
  }

  /** A stopped or failed turn's cut round waits to be written; {@code after} goes right after it. */
  void close(ClosedRound cut, List<ChatMessage> after) {
    closing = cut;
    deferred.addAll(after);
    writeClosingIfReady();
  }

  boolean keptByClosing(ToolRound.Entry entry) {
    return closing != null && closing.keeps(entry);
  }

  /** A normal ending; {@code answerIsLast}: its final round wrote a text-only assistant message. */
  void finished(Turn t, List<ChatMessage> after, boolean answerIsLast) {
    release(t);
    for (ChatMessage m : after) append(m);
    lastAnswerTurn = answerIsLast && after.isEmpty() ? t.number : 0;
  }

  void emit(Consumer<AgentEvent> listener, AgentEvent event) {
    emitting++;
    try {
      listener.accept(event);
    } finally {
      emitting--;
    }
  }
}
