package voiceagent.core.internal.turn;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.ChatRequest;
import voiceagent.core.ElectronEvent;
import voiceagent.core.ElectronStream;
import voiceagent.tools.ToolCall;
import voiceagent.tools.ToolExecution;
import voiceagent.tools.ToolResult;

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
 * every side-effecting call it keeps has its result (bounded by the tool's timeout; see {@code Tool.sideEffects()}).
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
 * ({@link #appendAssistant}) go after the running turn's messages.
 *
 * <p>Thread contract: confined to the conversation's loop ({@code context}); every method must be called there. The
 * listener of a turn is called on the loop, must not block, and may call back into the engine: such a call takes
 * effect right after the listener returns (events of the running generation may be reported meanwhile).
 */
public final class TurnEngine {
  private static final Logger log = LoggerFactory.getLogger(TurnEngine.class);
  static final String LOOP_RESULT =
      "{\"error\":\"this exact call was already made in this turn; answer with the results you have\"}";

  private final AgentRuntime runtime;
  private final AgentConfig config;
  private final Context context;
  private final CallLog callLog;
  private final List<ChatMessage> history = new ArrayList<>(); // append-only
  private final List<byte[]> historyBytes = new ArrayList<>(); // history serialized once, for the prefix guard
  private final PrefixGuard guard;
  private final Clock clock;
  private final byte[] toolBytes; // the canonical catalog, identical for every request
  // Every field below is touched only on the loop.
  private long generation;
  private int turnNumber;
  private Turn current;
  private ClosedRound closing;        // the last cut round, until it is written
  private Runnable afterClosing;      // the next turn's start, waiting for `closing`
  private final List<ChatMessage> deferred = new ArrayList<>(); // written right after `closing`
  private int lastAnswerTurn;         // the turn whose final assistant message is history's last message, or 0
  private int emitting;               // > 0 while a listener runs: engine calls from it are deferred
  private BigDecimal conversationCost = BigDecimal.ZERO;

  public TurnEngine(AgentRuntime runtime, Context context, CallLog callLog, Map<String, String> callVariables) {
    this.runtime = runtime;
    this.config = runtime.config();
    this.context = context;
    this.callLog = callLog;
    this.clock = runtime.clock();
    this.guard = new PrefixGuard(runtime.metrics().registry());
    this.toolBytes = config.tools().isEmpty() ? new byte[0] : config.tools().catalogBytes();
    if (callVariables != null && !callVariables.isEmpty()) {
      // Per-call facts go after the stable prefix (system prompt, static context, tools), sorted for stable bytes.
      StringBuilder s = new StringBuilder("Call context:");
      new TreeMap<>(callVariables).forEach((k, v) -> s.append('\n').append(k).append(": ").append(v));
      append(ChatMessage.system(s.toString()));
    }
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
    Turn t = new Turn(++turnNumber, userText, listener);
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
  private void writeClosingIfReady() {
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

  /** Appends now, or right after the closing round when one waits. */
  private void appendOrDefer(ChatMessage m) {
    if (closing != null) deferred.add(m);
    else append(m);
  }

  private void append(ChatMessage m) {
    history.add(m);
    historyBytes.add(ChatRequest.messageJson(m));
  }

  /**
   * Drops the history from {@code size} on: only messages no request has carried, or carried by a rejected request
   * (nothing of them is in the server's cache), so the prefix guard starts over rather than report a change.
   */
  private void truncate(int size) {
    history.subList(size, history.size()).clear();
    historyBytes.subList(size, historyBytes.size()).clear();
    guard.reset();
  }

  /** One user turn: rounds of Electron requests and tool calls until the model answers. */
  private final class Turn {
    private final int number;
    private final String userText;
    private final Consumer<AgentEvent> listener;
    private final CallLog turnLog;
    private final Set<Signature> executed = new HashSet<>();
    private final StringBuilder spokenTurn = new StringBuilder();
    private final List<ChatMessage> appendAfter = new ArrayList<>(); // appendAssistant while this turn runs
    private boolean begun;
    private int round;
    private int toolRounds;
    private int sequence;
    private boolean loopDetected;
    private boolean spokeAnything;
    private boolean escalated;
    private BigDecimal cost = BigDecimal.ZERO;

    // The current round; replaced at each round start.
    private long gen;
    private boolean finalRound;
    private ElectronStream stream;
    private SpeechSegmenter segmenter;
    private StringBuilder spokenRound = new StringBuilder();
    private ToolRound tools = new ToolRound();
    private boolean streamDone;
    private String finishReason;
    private String requestId;
    private ElectronEvent.UsageReported usage;
    private Clock.Cancellable escalationTimer;

    Turn(int number, String userText, Consumer<AgentEvent> listener) {
      this.number = number;
      this.userText = userText;
      this.listener = listener;
      this.turnLog = callLog.with("turn_id", Integer.toString(number));
    }

    /** The history is settled: the turn's user message goes in and its first round starts. */
    void begin() {
      if (current != this || begun) return;
      begun = true;
      append(ChatMessage.user(userText));
      startRound();
    }

    private boolean live(long myGen) {
      return current == this && myGen == gen;
    }

    void startRound() {
      round++;
      gen = ++generation;
      finalRound = config.maxToolRounds() > 0 && (toolRounds >= config.maxToolRounds() || loopDetected);
      spokenRound = new StringBuilder();
      tools = new ToolRound();
      streamDone = false;
      usage = null;
      stream = null;
      long myGen = gen;
      segmenter = new SpeechSegmenter(config.segmenter(), text -> {
        if (live(myGen)) speakReply(text);
      });
      ChatRequest request;
      try {
        request = buildRequest();
      } catch (RuntimeException e) {
        // A request that cannot be built (a limit, a failing prompt supplier) fails the turn, never the conversation.
        fail(e instanceof AgentException a ? a
            : new AgentException(ErrorKind.INVALID_REQUEST, "electron", "request not built: " + e.getMessage()));
        return;
      }
      CallLog requestLog = turnLog.with("generation_id", Long.toString(gen));
      stream = runtime.electron().stream(request, requestLog, e -> {
        if (live(myGen)) onElectron(e);
      });
    }

    private ChatRequest buildRequest() {
      List<ChatMessage> prefix = new ArrayList<>(1 + config.staticContext().size());
      prefix.add(ChatMessage.system(config.systemPrompt().get()));
      for (String s : config.staticContext()) prefix.add(ChatMessage.system(s));
      List<byte[]> serialized = new ArrayList<>(prefix.size() + historyBytes.size());
      for (ChatMessage m : prefix) serialized.add(ChatRequest.messageJson(m));
      String toolsJson = config.tools().isEmpty() ? null : config.tools().catalogJson();
      runtime.prefix().check(stablePrefix(serialized, toolBytes), turnLog);
      serialized.addAll(historyBytes);
      guard.check(serialized, toolBytes, turnLog);

      List<ChatMessage> messages = new ArrayList<>(prefix.size() + history.size());
      messages.addAll(prefix);
      messages.addAll(history);
      return ChatRequest.builder(runtime.model()).messages(messages).toolsJson(toolsJson)
          .toolChoice(toolsJson != null && finalRound ? "none" : null).maxTokens(config.maxTokens())
          .stop(config.stop()).temperature(config.temperature()).seed(config.seed()).build();
    }

    /** The bytes every request of every call of this agent starts with: system messages, then the tool catalog. */
    private static byte[] stablePrefix(List<byte[]> systemMessages, byte[] tools) {
      int n = tools.length;
      for (byte[] m : systemMessages) n += m.length;
      byte[] all = new byte[n];
      int at = 0;
      for (byte[] m : systemMessages) {
        System.arraycopy(m, 0, all, at, m.length);
        at += m.length;
      }
      System.arraycopy(tools, 0, all, at, tools.length);
      return all;
    }

    private void onElectron(ElectronEvent e) {
      switch (e) {
        case ElectronEvent.FirstToken f -> {
          runtime.metrics().recordFirstToken(f.latencyNanos());
          emit(new AgentEvent.FirstTokenReceived(number, gen, f.latencyNanos()));
        }
        case ElectronEvent.TextDelta t -> segmenter.accept(t.text());
        case ElectronEvent.ToolCallReady c -> onToolCall(c);
        case ElectronEvent.UsageReported u -> usage = u;
        case ElectronEvent.Finished f -> {
          segmenter.flush();
          finishReason = f.finishReason();
          requestId = f.requestId();
          streamDone = true;
          recordUsage();
          maybeEndRound();
        }
        case ElectronEvent.Failed f -> {
          segmenter.flush(); // text received before the error is spoken and kept, like a cut stream's
          requestId = f.error().requestId();
          fail(f.error());
        }
      }
    }

    private void onToolCall(ElectronEvent.ToolCallReady c) {
      // Text before a tool call is complete: speak it now rather than at the end of the stream.
      segmenter.flush();
      ToolCall call = new ToolCall(c.id(), c.name(), c.arguments(), c.rawArguments());
      if (config.maxToolRounds() == 0 || finalRound) {
        String reason = config.maxToolRounds() == 0 ? "reported" : "round_limit";
        emit(new AgentEvent.ToolCallSkipped(number, gen, c.id(), c.name(), c.arguments(), c.rawArguments(), reason));
        return;
      }
      Signature signature = new Signature(c.name(), c.arguments(), c.rawArguments());
      if (config.loopDetection() && !executed.add(signature)) {
        loopDetected = true;
        turnLog.warn(log).addKeyValue("tool", c.name()).log("tool loop detected");
        emit(new AgentEvent.ToolCallSkipped(number, gen, c.id(), c.name(), c.arguments(), c.rawArguments(), "loop"));
        long now = clock.nanoTime();
        tools.add(new ToolRound.Entry(c.index(), call, null, new ToolResult(c.id(), c.name(), LOOP_RESULT, true, now, now)));
        return;
      }
      ToolExecution execution = runtime.tools().start(call, config.tools(), context); // first: nothing delays it
      ToolRound.Entry entry = new ToolRound.Entry(c.index(), call, execution, null);
      tools.add(entry); // before anything is reported: a listener's interruption must find it
      long myGen = gen;
      execution.result().onComplete(ar -> onToolResult(entry, ar.result(), myGen));
      if (!spokeAnything) {
        String filler = config.tools().find(c.name()).flatMap(t -> t.filler(c.arguments()))
            .orElse(config.filler());
        if (filler != null && !filler.isBlank()) speak(filler, SpeechKind.FILLER);
      }
      emit(new AgentEvent.ToolCallStarted(number, gen, c.id(), c.name(), c.arguments(), c.rawArguments()));
      armEscalation();
    }

    private void onToolResult(ToolRound.Entry entry, ToolResult r, long myGen) {
      entry.result = r;
      runtime.metrics().recordTool(r.name(), r.error(), r.finishedNanos() - r.startedNanos());
      if (live(myGen)) {
        emit(new AgentEvent.ToolCallFinished(number, gen, r.callId(), r.name(), r.content(), r.error(),
            r.durationMillis()));
        maybeEndRound();
      } else if (closing != null && closing.keeps(entry)) {
        turnLog.info(log).addKeyValue("tool", r.name()).addKeyValue("call_id", r.callId())
            .addKeyValue("error", r.error()).log("kept tool call finished after its turn");
        writeClosingIfReady();
      }
    }

    private void armEscalation() {
      if (escalated || escalationTimer != null || config.escalation() == null) return;
      long myGen = gen;
      escalationTimer = clock.schedule(context, config.escalationDelay().toMillis(), () -> {
        escalationTimer = null;
        if (!live(myGen) || !tools.anyRunning()) return;
        escalated = true;
        speak(config.escalation(), SpeechKind.ESCALATION);
      });
    }

    /** A round ends when its stream finished and every tool it started has a result. */
    private void maybeEndRound() {
      if (!streamDone || !tools.allDone()) return;
      cancelEscalation();
      String spoken = spokenRound.toString();
      int calls = tools.size();
      if (calls > 0) {
        for (ChatMessage m : ToolRound.messages(spoken, tools.entries())) append(m);
      } else if (!spoken.isEmpty()) {
        append(ChatMessage.assistant(spoken, List.of()));
      }
      emit(new AgentEvent.RoundFinished(number, gen, round, finishReason, calls));
      if (calls > 0) {
        toolRounds++;
        startRound();
        return;
      }
      String outcome = config.maxToolRounds() == 0 ? "reported" : loopDetected ? "loop" : finalRound ? "max_rounds"
          : "answered";
      if (!spokeAnything) speakFallback();
      finish(outcome, !spoken.isEmpty());
    }

    private void cancelEscalation() {
      if (escalationTimer != null) escalationTimer.cancel();
      escalationTimer = null;
    }

    private void recordUsage() {
      if (usage == null) return;
      BigDecimal c = runtime.prices().cost(usage.promptTokens(), Math.min(usage.cachedTokens(), usage.promptTokens()),
          usage.completionTokens());
      cost = cost.add(c);
      conversationCost = conversationCost.add(c);
      runtime.metrics().recordUsage(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens(), c);
      emit(new AgentEvent.UsageRecorded(number, gen, usage.promptTokens(), usage.completionTokens(),
          usage.cachedTokens(), c, requestId));
    }

    private void fail(AgentException error) {
      current = null;
      turnLog.warn(log).addKeyValue("generation_id", gen).addKeyValue("kind", error.kind())
          .addKeyValue("request_id", error.requestId()).log("turn failed");
      if (stream != null) stream.cancel();
      cancelEscalation();
      ClosedRound cut = new ClosedRound(number, spokenRound.toString(), tools.interrupt(), "failed");
      cut.hearAll();
      close(cut);
      if (!spokeAnything) speakFallback();
      emit(new AgentEvent.TurnFailed(number, gen, error));
      end("failed");
    }

    /** Stops the turn at once ({@code cancelled}: everything spoken counts as heard; {@code interrupted}: not yet). */
    void stop(String outcome) {
      current = null; // from here on, late text, tool results and timers of this turn find it superseded
      if (!begun) {
        // Never sent: the caller's words and the runtime's are still written, after what the turn waited for.
        appendOrDefer(ChatMessage.user(userText));
        appendAfter.forEach(TurnEngine.this::appendOrDefer);
        appendAfter.clear();
      } else {
        if (stream != null) stream.cancel();
        if (segmenter != null) segmenter.reset();
        cancelEscalation();
        ClosedRound cut = new ClosedRound(number, spokenRound.toString(), tools.interrupt(), outcome);
        if (outcome.equals("cancelled")) cut.hearAll();
        close(cut);
      }
      turnLog.info(log).addKeyValue("generation_id", gen).addKeyValue("outcome", outcome).log("turn stopped");
      runtime.metrics().recordTurn(outcome);
      emit(new AgentEvent.TurnFinished(number, gen, spokenTurn.toString(), round, cost, outcome, finishReason,
          requestId));
    }

    /** The cut round waits to be written; this turn's later messages go after it. */
    private void close(ClosedRound cut) {
      closing = cut;
      deferred.addAll(appendAfter);
      appendAfter.clear();
      writeClosingIfReady();
    }

    /** A normal ending; {@code answerIsLast}: the final round wrote a text-only assistant message. */
    private void finish(String outcome, boolean answerIsLast) {
      current = null;
      for (ChatMessage m : appendAfter) append(m);
      lastAnswerTurn = answerIsLast && appendAfter.isEmpty() ? number : 0;
      appendAfter.clear();
      end(outcome);
    }

    private void end(String outcome) {
      turnLog.info(log).addKeyValue("rounds", round).addKeyValue("outcome", outcome)
          .addKeyValue("cost_usd", cost.toPlainString()).log("turn finished");
      runtime.metrics().recordTurn(outcome);
      emit(new AgentEvent.TurnFinished(number, gen, spokenTurn.toString(), round, cost, outcome, finishReason,
          requestId));
    }

    private void speakReply(String text) {
      if (!spokenRound.isEmpty()) spokenRound.append(' ');
      int start = spokenRound.length();
      spokenRound.append(text);
      if (!spokenTurn.isEmpty()) spokenTurn.append(' ');
      spokenTurn.append(text);
      spokeAnything = true;
      emit(new AgentEvent.SpeechReady(number, gen, sequence++, text, SpeechKind.REPLY, start, spokenRound.length()));
    }

    private void speak(String text, SpeechKind kind) {
      spokeAnything = true;
      emit(new AgentEvent.SpeechReady(number, gen, sequence++, text, kind, -1, -1));
    }

    private void speakFallback() {
      if (config.fallback() != null && !config.fallback().isBlank()) speak(config.fallback(), SpeechKind.FALLBACK);
    }

    private void emit(AgentEvent e) {
      emitting++;
      try {
        listener.accept(e);
      } finally {
        emitting--;
      }
    }
  }

  /** A tool call's identity for loop detection: same name and equal arguments (key order ignored). */
  private record Signature(String name, JsonNode arguments, String raw) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && s.name.equals(name)
          && (arguments != null ? arguments.equals(s.arguments) : s.arguments == null && raw.equals(s.raw));
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + (arguments != null ? arguments.hashCode() : raw.hashCode());
    }
  }

}
