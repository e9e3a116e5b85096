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
 * <p>States: idle, or running one turn (a round streaming, then tools finishing). A new turn cancels the running one.
 * Every Electron request is a generation; text, tool results and timers carry theirs, and anything that arrives for a
 * generation that is no longer the current one of the running turn (a cancelled turn, an earlier round) is dropped.
 *
 * <p>Thread contract: confined to the conversation's loop ({@code context}); every method must be called there.
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
  private long generation;
  private int turnNumber;
  private Turn current;
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

  /** Starts a turn for {@code userText}; a turn still running is cancelled first. */
  public void startTurn(String userText, Consumer<AgentEvent> listener) {
    if (current != null) cancelTurn();
    append(ChatMessage.user(userText));
    current = new Turn(++turnNumber, listener);
    callLog.with("turn_id", Integer.toString(turnNumber)).info(log).log("turn started");
    current.startRound();
  }

  /** Cancels the running turn (barge-in, hang-up): its stream closes, pending tools never start. */
  public void cancelTurn() {
    Turn t = current;
    if (t != null) t.cancel();
  }

  /** The history so far (the call-context message, then user, assistant and tool messages), as a copy. */
  public List<ChatMessage> history() {
    return List.copyOf(history);
  }

  public BigDecimal conversationCost() {
    return conversationCost;
  }


  private void append(ChatMessage m) {
    history.add(m);
    historyBytes.add(ChatRequest.messageJson(m));
  }

  /** One user turn: rounds of Electron requests and tool calls until the model answers. */
  private final class Turn {
    private final int number;
    private final Consumer<AgentEvent> listener;
    private final CallLog turnLog;
    private final Set<Signature> executed = new HashSet<>();
    private final StringBuilder spokenTurn = new StringBuilder();
    private int round;
    private int toolRounds;
    private boolean loopDetected;
    private boolean spokeAnything;
    private boolean escalated;
    private BigDecimal cost = BigDecimal.ZERO;

    // The current round; replaced at each round start.
    private long gen;
    private boolean finalRound;
    private ElectronStream stream;
    private SpeechSegmenter segmenter;
    private StringBuilder spokenRound;
    private ToolRound tools;
    private boolean streamDone;
    private String finishReason;
    private String requestId;
    private ElectronEvent.UsageReported usage;
    private Clock.Cancellable escalationTimer;

    Turn(int number, Consumer<AgentEvent> listener) {
      this.number = number;
      this.listener = listener;
      this.turnLog = callLog.with("turn_id", Integer.toString(number));
    }

    void startRound() {
      round++;
      gen = ++generation;
      finalRound = config.maxToolRounds() > 0 && (toolRounds >= config.maxToolRounds() || loopDetected);
      spokenRound = new StringBuilder();
      tools = new ToolRound();
      streamDone = false;
      usage = null;
      long myGen = gen;
      segmenter = new SpeechSegmenter(config.segmenter(), text -> {
        if (myGen == gen) speakReply(text);
      });
      ChatRequest request = buildRequest();
      CallLog requestLog = turnLog.with("generation_id", Long.toString(gen));
      stream = runtime.electron().stream(request, requestLog, e -> {
        if (current == this && myGen == gen) onElectron(e);
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
        case ElectronEvent.TextDelta t -> segmenter.accept(t.text());
        case ElectronEvent.ToolCallReady c -> onToolCall(c);
        case ElectronEvent.UsageReported u -> usage = u;
        case ElectronEvent.Finished f -> {
          segmenter.flush();
          if (f.firstTokenNanos() >= 0) runtime.metrics().recordFirstToken(f.firstTokenNanos());
          finishReason = f.finishReason();
          requestId = f.requestId();
          streamDone = true;
          recordUsage();
          maybeEndRound();
        }
        case ElectronEvent.Failed f -> {
          segmenter.reset();
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
      if (!spokeAnything) {
        String filler = config.tools().find(c.name()).flatMap(t -> t.filler(c.arguments()))
            .orElse(config.filler());
        if (filler != null && !filler.isBlank()) speak(filler, SpeechKind.FILLER);
      }
      ToolRound.Entry entry = new ToolRound.Entry(c.index(), call, execution, null);
      tools.add(entry);
      emit(new AgentEvent.ToolCallStarted(number, gen, c.id(), c.name(), c.arguments(), c.rawArguments()));
      armEscalation();
      long myGen = gen;
      execution.result().onComplete(ar -> {
        if (current != this || myGen != gen) return; // superseded: the cancel already wrote what finished
        ToolResult r = ar.result();
        entry.result = r;
        runtime.metrics().recordTool(r.name(), r.error(), r.finishedNanos() - r.startedNanos());
        emit(new AgentEvent.ToolCallFinished(number, gen, r.callId(), r.name(), r.content(), r.error(),
            r.durationMillis()));
        maybeEndRound();
      });
    }

    private void armEscalation() {
      if (escalated || escalationTimer != null || config.escalation() == null) return;
      long myGen = gen;
      escalationTimer = clock.schedule(context, config.escalationDelay().toMillis(), () -> {
        escalationTimer = null;
        if (current != this || myGen != gen || !tools.anyRunning()) return;
        escalated = true;
        speak(config.escalation(), SpeechKind.ESCALATION);
      });
    }

    /** A round ends when its stream finished and every tool it started has a result. */
    private void maybeEndRound() {
      if (!streamDone || !tools.allDone()) return;
      if (escalationTimer != null) {
        escalationTimer.cancel();
        escalationTimer = null;
      }
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
      finish(outcome);
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
      turnLog.warn(log).addKeyValue("generation_id", gen).addKeyValue("kind", error.kind())
          .addKeyValue("request_id", error.requestId()).log("turn failed");
      List<ToolRound.Entry> finished = tools.cancel();
      keep(finished);
      if (!spokeAnything) speakFallback();
      emit(new AgentEvent.TurnFailed(number, gen, error));
      finish("failed");
    }

    void cancel() {
      stream.cancel();
      segmenter.reset();
      if (escalationTimer != null) escalationTimer.cancel();
      keep(tools.cancel());
      current = null; // from here on, late text, tool results and timers of this turn find it superseded
      turnLog.info(log).addKeyValue("generation_id", gen).log("turn cancelled");
      runtime.metrics().recordTurn("cancelled");
      listener.accept(new AgentEvent.TurnFinished(number, gen, spokenTurn.toString(), round, cost, "cancelled",
          finishReason, requestId));
    }

    /** Completed tool results are always kept; spoken text is kept as the assistant's content. */
    private void keep(List<ToolRound.Entry> finished) {
      String spoken = spokenRound.toString();
      if (!finished.isEmpty()) {
        for (ChatMessage m : ToolRound.messages(spoken, finished)) append(m);
      } else if (!spoken.isEmpty()) {
        append(ChatMessage.assistant(spoken, List.of()));
      }
    }

    private void finish(String outcome) {
      turnLog.info(log).addKeyValue("rounds", round).addKeyValue("outcome", outcome)
          .addKeyValue("cost_usd", cost.toPlainString()).log("turn finished");
      runtime.metrics().recordTurn(outcome);
      current = null;
      emit(new AgentEvent.TurnFinished(number, gen, spokenTurn.toString(), round, cost, outcome, finishReason,
          requestId));
    }

    private void speakReply(String text) {
      if (!spokenRound.isEmpty()) spokenRound.append(' ');
      spokenRound.append(text);
      if (!spokenTurn.isEmpty()) spokenTurn.append(' ');
      spokenTurn.append(text);
      speak(text, SpeechKind.REPLY);
    }

    private void speak(String text, SpeechKind kind) {
      spokeAnything = true;
      emit(new AgentEvent.SpeechReady(number, gen, text, kind));
    }

    private void speakFallback() {
      if (config.fallback() != null && !config.fallback().isBlank()) speak(config.fallback(), SpeechKind.FALLBACK);
    }

    private void emit(AgentEvent e) {
      listener.accept(e);
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
