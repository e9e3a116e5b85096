package voiceagent.core.internal.turn;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * One user turn of a {@link TurnEngine}: rounds of Electron requests and tool calls until the model answers, or until
 * it is stopped (cancelled, interrupted) or fails. See {@link TurnEngine} for the states, the order of events and the
 * history it writes.
 *
 * <p>Thread contract: confined to the conversation's loop.
 */
final class Turn {
  private static final Logger log = LoggerFactory.getLogger(TurnEngine.class);
  private static final String LOOP_RESULT =
      "{\"error\":\"this exact call was already made in this turn; answer with the results you have\"}";

  private final TurnEngine engine;
  private final AgentRuntime runtime;
  private final AgentConfig config;
  private final Context context;
  private final Clock clock;
  final int number;
  private final String userText;
  private final Consumer<AgentEvent> listener;
  final CallLog turnLog;
  private final Set<Signature> executed = new HashSet<>();
  private final StringBuilder spokenTurn = new StringBuilder();
  final List<ChatMessage> appendAfter = new ArrayList<>(); // appendAssistant while this turn runs
  private boolean begun;
  private int turnStart;          // index of this turn's user message in the history
  private boolean sideEffects;    // a side-effecting call started in this turn
  private boolean contextRetried; // the one retry after a context-length rejection was made
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
  private boolean sawOutput;      // the round's request streamed a first token
  private String finishReason;
  private String requestId;
  private ElectronEvent.UsageReported usage;
  private Clock.Cancellable escalationTimer;

  Turn(TurnEngine engine, int number, String userText, Consumer<AgentEvent> listener) {
    this.engine = engine;
    this.runtime = engine.runtime;
    this.config = engine.config;
    this.context = engine.context;
    this.clock = engine.clock;
    this.number = number;
    this.userText = userText;
    this.listener = listener;
    this.turnLog = engine.callLog.with("turn_id", Integer.toString(number));
  }

  /** The history is settled: the turn's user message goes in and its first round starts. */
  void begin() {
    if (!engine.isCurrent(this) || begun) return;
    begun = true;
    String due = engine.compactionDue();
    if (due != null) engine.compact(due, engine.historySize(), turnLog);
    turnStart = engine.historySize();
    engine.append(ChatMessage.user(userText));
    startRound();
  }

  private boolean live(long myGen) {
    return engine.isCurrent(this) && myGen == gen;
  }

  private void startRound() {
    round++;
    gen = engine.nextGeneration();
    finalRound = config.maxToolRounds() > 0 && (toolRounds >= config.maxToolRounds() || loopDetected);
    spokenRound = new StringBuilder();
    tools = new ToolRound();
    streamDone = false;
    sawOutput = false;
    usage = null;
    stream = null;
    long myGen = gen;
    segmenter = new SpeechSegmenter(config.segmenter(), text -> {
      if (live(myGen)) speakReply(text);
    });
    // A long turn of tool rounds must not outgrow the request's message limit: drop older turns first.
    if (1 + config.staticContext().size() + engine.historySize() > ChatRequest.MAX_MESSAGES) {
      turnStart -= engine.compact("messages", turnStart, turnLog);
    }
    // The system prompt may come from user code that blocks: it is asked for off the loop.
    runtime.tools().callOffLoop(config.systemPrompt()::get, context).onComplete(ar -> {
      if (!live(myGen)) return;
      if (ar.succeeded()) {
        send(ar.result(), myGen);
      } else {
        Throwable cause = ar.cause();
        String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        fail(new AgentException(ErrorKind.CONFIG, "agent", "the system prompt supplier failed: " + why, cause), false);
      }
    });
  }

  private void send(String systemPrompt, long myGen) {
    ChatRequest request;
    try {
      request = engine.buildRequest(systemPrompt, finalRound, turnLog);
    } catch (RuntimeException e) {
      // A request that cannot be built (a limit, a bad value) fails the turn, never the conversation.
      fail(e instanceof AgentException a ? a
          : new AgentException(ErrorKind.INVALID_REQUEST, "electron", "request not built: " + e.getMessage(), e), false);
      return;
    }
    CallLog requestLog = turnLog.with("generation_id", Long.toString(gen));
    stream = runtime.electron().stream(request, requestLog, e -> {
      if (live(myGen)) onElectron(e);
    });
  }

  private void onElectron(ElectronEvent e) {
    switch (e) {
      case ElectronEvent.FirstToken f -> {
        sawOutput = true;
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
        if (!sawOutput && !contextRetried && Rejections.contextLength(f.error()) && shrinkForRetry()) {
          startRound();
        } else {
          fail(f.error(), true);
        }
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
    sideEffects |= execution.sideEffects();
    ToolRound.Entry entry = new ToolRound.Entry(c.index(), call, execution, null);
    tools.add(entry); // before anything is reported: a listener's interruption must find it
    long myGen = gen;
    if (!spokeAnything) {
      String filler = config.tools().find(c.name()).flatMap(t -> t.filler(c.arguments()))
          .orElse(config.filler());
      if (filler != null && !filler.isBlank()) speak(filler, SpeechKind.FILLER);
    }
    emit(new AgentEvent.ToolCallStarted(number, gen, c.id(), c.name(), c.arguments(), c.rawArguments()));
    armEscalation();
    // Only now: a result that is already there (arguments that fail the schema) must not be reported before its start.
    execution.result().onComplete(ar -> onToolResult(entry, ar.result(), myGen));
  }

  private void onToolResult(ToolRound.Entry entry, ToolResult r, long myGen) {
    entry.result = r;
    runtime.metrics().recordTool(r.name(), r.error(), r.finishedNanos() - r.startedNanos());
    if (live(myGen)) {
      emit(new AgentEvent.ToolCallFinished(number, gen, r.callId(), r.name(), r.content(), r.error(),
          r.durationMillis()));
      maybeEndRound();
    } else if (engine.keptByClosing(entry)) {
      turnLog.info(log).addKeyValue("tool", r.name()).addKeyValue("call_id", r.callId())
          .addKeyValue("error", r.error()).log("kept tool call finished after its turn");
      engine.writeClosingIfReady();
    }
  }

  /**
   * After a context-length rejection: compacts the history down to half its budget and, in the turn's first request,
   * trims an overlong user message. Returns whether anything shrank (then the one retry is worth making).
   */
  private boolean shrinkForRetry() {
    contextRetried = true;
    int dropped = engine.compact("context_length", turnStart, turnLog);
    turnStart -= dropped;
    boolean trimmed = false;
    if (engine.historySize() == turnStart + 1) {
      int maxChars = (int) (config.history().maxPromptTokens() / 4 / engine.tokensPerByte());
      String text = engine.historyContent(turnStart);
      if (text.length() > maxChars) {
        String cut = text.substring(0, maxChars);
        int space = cut.lastIndexOf(' ');
        engine.truncate(turnStart);
        engine.append(ChatMessage.user((space > maxChars / 2 ? cut.substring(0, space) : cut) + " …"));
        trimmed = true;
        turnLog.info(log).addKeyValue("chars", text.length()).addKeyValue("kept_chars", maxChars)
            .log("overlong user message trimmed");
      }
    }
    turnLog.info(log).addKeyValue("dropped_messages", dropped).addKeyValue("trimmed", trimmed)
        .log("context length exceeded");
    return dropped > 0 || trimmed;
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
      for (ChatMessage m : ToolRound.messages(spoken, tools.entries())) engine.append(m);
    } else if (!spoken.isEmpty()) {
      engine.append(ChatMessage.assistant(spoken, List.of()));
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
    engine.recordUsage(usage.promptTokens(), usage.completionTokens(), c);
    runtime.metrics().recordUsage(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens(), c);
    emit(new AgentEvent.UsageRecorded(number, gen, usage.promptTokens(), usage.completionTokens(),
        usage.cachedTokens(), c, requestId));
  }

  /** {@code reported}: the Electron client already logged the failure at WARN, so the turn's line is INFO. */
  private void fail(AgentException error, boolean reported) {
    engine.release(this);
    (reported ? turnLog.info(log) : turnLog.warn(log)).addKeyValue("generation_id", gen).addKeyValue("kind", error.kind())
        .addKeyValue("request_id", error.requestId()).log("turn failed");
    if (stream != null) stream.cancel();
    cancelEscalation();
    if (!sawOutput && !sideEffects && Rejections.rejected(error)) {
      // Refused for what it carried: sending the same history again would fail again. Take the turn back.
      engine.truncate(turnStart);
      turnLog.info(log).addKeyValue("kind", error.kind()).log("rejected turn taken back from the history");
    }
    ClosedRound cut = new ClosedRound(number, spokenRound.toString(), tools.interrupt(), "failed");
    cut.hearAll();
    close(cut);
    if (!spokeAnything) speakFallback();
    emit(new AgentEvent.TurnFailed(number, gen, error));
    end("failed");
  }

  /** Stops the turn at once ({@code cancelled}: everything spoken counts as heard; {@code interrupted}: not yet). */
  void stop(String outcome) {
    engine.release(this); // from here on, late text, tool results and timers of this turn find it superseded
    if (!begun) {
      // Never sent: the caller's words and the runtime's are still written, after what the turn waited for.
      engine.appendOrDefer(ChatMessage.user(userText));
      appendAfter.forEach(engine::appendOrDefer);
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
    engine.close(cut, appendAfter);
    appendAfter.clear();
  }

  /** A normal ending; {@code answerIsLast}: the final round wrote a text-only assistant message. */
  private void finish(String outcome, boolean answerIsLast) {
    engine.finished(this, appendAfter, answerIsLast);
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
    engine.emit(listener, e);
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
