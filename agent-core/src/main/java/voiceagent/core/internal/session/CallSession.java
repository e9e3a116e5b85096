package voiceagent.core.internal.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.LightningStream;
import voiceagent.audio.PulseStream;
import voiceagent.common.Clock;
import voiceagent.core.AgentEvent;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.config.SessionConfig.TurnPolicy;
import voiceagent.core.internal.turn.TurnEngine;
import voiceagent.core.spi.MediaTransport;

/**
 * One call: the transport's audio to Pulse and the local VAD ({@link TurnDetector}), Pulse's finals to the turn
 * engine, the engine's speech to Lightning and through {@link Outbound} back to the transport ({@link Speaker}) — all
 * on the call's context.
 *
 * <p>States: listening (the caller has the floor), thinking (a turn runs, nothing of it played yet), speaking (agent
 * audio plays), ending (the goodbye plays), ended. User speech long enough by the state's policy while thinking or
 * speaking interrupts: generation and speech stop at once, and what the caller heard is written once the transport
 * confirms the clear ({@link Interruption}); with no words within the grace period the agent resumes instead.
 *
 * <p>Thread contract: confined to the call's loop; every method runs there (the transport, Pulse, Lightning, the
 * engine and the pacing tick all call back on it).
 */
public final class CallSession implements MediaTransport.TransportSink, Outbound.Listener {
  private static final Logger log = LoggerFactory.getLogger(CallSession.class);

  enum State { LISTENING, THINKING, SPEAKING, ENDING, ENDED }

  private final SessionRuntime rt;
  private final SessionConfig config;
  private final Context context;
  private final Thread loop;
  private final Clock clock;
  private final MediaTransport transport;
  private final String callId;
  private final CallLog callLog;
  private final Consumer<CallEvent> events;
  private final Runnable onEnded;
  private final TurnEngine turnEngine;
  private final EngineTurns engine;
  private final AudioPaths audio;
  private final Outbound outbound;
  private final TurnDetector detector;
  private final Speaker speaker;
  private final long startNanos;
  private Pacer pacer;
  private boolean pulseOpen;
  private boolean lightningOpen;
  private State state = State.LISTENING;

  // The running turn.
  private int turns;
  private int currentTurn;
  private boolean turnRunning;
  private long engineGeneration;
  private boolean turnHasSpeech;
  private TurnTimeline timeline;
  private Interruption interruption;

  // Idle, hang-up, cost.
  private final IdleWatch idle;
  private boolean hangUpAfterSpeech;
  private String endingReason;
  private BigDecimal cost = BigDecimal.ZERO;

  public CallSession(SessionRuntime rt, Context context, MediaTransport transport, String callId,
      Map<String, String> callVariables, Consumer<CallEvent> events, Runnable onEnded) {
    this.rt = rt;
    this.config = rt.config();
    this.context = context;
    this.loop = Thread.currentThread();
    this.clock = rt.agent().clock();
    this.transport = transport;
    this.callId = callId;
    this.callLog = CallLog.of("call_id", callId);
    this.events = events;
    this.onEnded = onEnded;
    this.turnEngine = new TurnEngine(rt.agent(), context, callLog, callVariables);
    this.engine = new EngineTurns(turnEngine);
    this.audio = new AudioPaths(transport.inputFormat(), transport.outputFormat());
    this.outbound = new Outbound(transport, transport.outputFormat(), config.leadMillis(), this);
    this.detector = new TurnDetector(this, config, clock, context, audio, transport.inputFormat().sampleRate());
    this.speaker = new Speaker(this, rt.lines(), audio, outbound, clock, callLog);
    engine.holdTerminalCallsUntilPlayed(speaker);
    this.idle = new IdleWatch(config, clock, context, () -> state == State.LISTENING && !detector.callerActive(),
        () -> speaker.speakLine(currentTurn, config.idlePrompt(), SpeechKind.IDLE_PROMPT), () -> endCall("idle"));
    this.startNanos = clock.nanoTime();
  }

  /** Starts the call: pacing, transport, Pulse and Lightning streams, and the greeting. Call on the call's loop. */
  public void start() {
    assert Thread.currentThread() == loop;
    pacer = rt.pacers().current(context);
    pacer.add(outbound);
    transport.start(this);
    callLog.info(log).addKeyValue("inbound", audio.inboundPath()).addKeyValue("outbound", audio.outboundPath())
        .log("call started");
    opened(rt.pulse().open(audio.pulseFormat(), detector::onPulse), "pulse", stream -> {
      detector.attach(stream);
      pulseOpen = true;
    }, PulseStream::close);
    opened(rt.lightning().open(audio.lightningRate(), speaker::onLightning), "lightning", stream -> {
      speaker.attach(stream);
      lightningOpen = true;
    }, LightningStream::close);
    if (config.greeting() != null) speaker.speakLine(currentTurn, config.greeting(), SpeechKind.GREETING);
  }

  /** A stream opened (or not): the call fails without it; a call that ended meanwhile closes it. */
  private <T> void opened(Future<T> stream, String service, Consumer<T> attach, Consumer<T> close) {
    stream.onComplete(ar -> onLoop(() -> {
      if (ar.failed()) {
        fail(service, ar.cause());
      } else if (state == State.ENDED) {
        close.accept(ar.result());
      } else {
        attach.accept(ar.result());
        maybeReady();
      }
    }));
  }

  private void maybeReady() {
    if (pulseOpen && lightningOpen) {
      emit(new CallEvent.CallStarted(now(), callId, audio.inboundPath(), audio.outboundPath()));
    }
  }

  /** Says the goodbye (if configured) and hangs up once it played. */
  public void hangUp() {
    endCall("agent_hang_up");
  }

  /** Ends the call at once, no goodbye: the agent shuts down. */
  public void shutdown() { finish("shutdown", true); }

  public List<ChatMessage> history() {
    return turnEngine.history();
  }

  // ---- what the turn detector reports

  @Override
  public void onAudio(byte[] data, int off, int len) {
    if (state != State.ENDED) detector.onAudio(data, off, len);
  }

  void onUserStartedSpeaking() {
    idle.reset();
    emit(new CallEvent.UserStartedSpeaking(now()));
  }

  void onUserStoppedSpeaking() {
    emit(new CallEvent.UserStoppedSpeaking(now()));
    Interruption i = interruption;
    if (i != null && i.resumeWhenQuiet && !i.wordsHeard) {
      i.resumeWhenQuiet = false;
      armGrace(i);
    }
  }

  /** Whether the agent holds the floor (a turn runs or its audio plays): caller speech may interrupt it. */
  boolean busy() {
    return state == State.THINKING || state == State.SPEAKING;
  }

  boolean ending() { return state == State.ENDING; }

  boolean ended() { return state == State.ENDED; }

  TurnPolicy policy() {
    return switch (state) {
      case THINKING -> config.thinking();
      case SPEAKING -> config.speaking();
      default -> config.listening();
    };
  }

  /** The caller's turn is over: a turn of the engine starts for what they said. */
  void runTurn(String userText) {
    if (interruption != null) commit(interruption);
    idle.reset();
    currentTurn = ++turns;
    timeline = detector.timeline(currentTurn);
    turnRunning = true;
    turnHasSpeech = false;
    hangUpAfterSpeech = false;
    state = State.THINKING;
    emit(new CallEvent.TurnStarted(now(), currentTurn, userText));
    engine.start(currentTurn, userText, this::onAgentEvent);
  }

  // ---- the engine's events

  private void onAgentEvent(AgentEvent e) {
    if (state == State.ENDED || e.turn() != currentTurn) return;
    engineGeneration = Math.max(engineGeneration, e.generation());
    switch (e) {
      case AgentEvent.SpeechReady s -> {
        if (!turnRunning) return;
        Segment segment = EngineTurns.segment(s);
        segment.firstOfTurn = !turnHasSpeech;
        turnHasSpeech = true;
        if (timeline != null) timeline.firstSegment = TurnTimeline.first(timeline.firstSegment, clock.nanoTime());
        speaker.speak(segment);
      }
      case AgentEvent.ToolCallStarted t -> emit(new CallEvent.ToolCallStarted(now(), t.turn(), t.callId(), t.name(),
          t.rawArguments()));
      case AgentEvent.ToolCallFinished t -> {
        emit(EngineTurns.toolFinished(now(), t));
        if (t.name().equals(config.hangUpTool())) hangUpAfterSpeech = true; // it ran: a held call may never have
      }
      case AgentEvent.UsageRecorded u -> {
        cost = cost.add(u.costUsd());
        emit(EngineTurns.usage(now(), u));
      }
      case AgentEvent.FirstTokenReceived f -> {
        if (timeline != null) timeline.firstToken = TurnTimeline.first(timeline.firstToken, clock.nanoTime());
      }
      case AgentEvent.RoundFinished r -> {
        if (r.toolCalls() > 0) engineGeneration = r.generation() + 1; // the next round's request
      }
      case AgentEvent.TurnFinished f -> {
        boolean stopped = !turnRunning;
        turnRunning = false;
        emit(new CallEvent.TurnEnded(now(), f.turn(), stopped ? "interrupted" : f.outcome()));
        if (!stopped) maybeDoneSpeaking();
      }
      default -> { }
    }
  }

  // ---- playback

  void onFirstAudio(Segment s) {
    if (timeline != null && s.turn == timeline.turn) {
      timeline.firstAudio = TurnTimeline.first(timeline.firstAudio, clock.nanoTime());
    }
  }

  @Override
  public void onSegmentStarted(Segment s, long nowNanos) {
    emit(new CallEvent.SpeechStarted(now(), s.turn, s.text, s.kind));
    if (state == State.LISTENING || state == State.THINKING) state = State.SPEAKING;
    if (s.firstOfTurn && timeline != null && s.turn == timeline.turn) {
      timeline.firstFrameSent = TurnTimeline.first(timeline.firstFrameSent, nowNanos);
    }
  }

  @Override
  public void onFirstFramePlayed(Segment s, long playedAtNanos) {
    TurnTimeline t = timeline;
    if (t == null || s.turn != t.turn || t.reported) return;
    // A mark acknowledged within a frame would date playback before sending (NONE is Long.MIN_VALUE: max keeps it).
    t.firstFramePlayed = TurnTimeline.first(t.firstFramePlayed, Math.max(playedAtNanos, t.firstFrameSent));
    t.reported = true;
    TurnTimeline.Hops hops = t.hops();
    rt.meters().record(hops);
    CallEvent.TurnLatency latency = hops.event(now(), t.turn);
    callLog.info(log).addKeyValue("turn_id", t.turn).addKeyValue("total_ms", latency.totalToFirstFrameMillis())
        .addKeyValue("runtime_us", latency.runtimeMicros()).log("turn latency");
    emit(latency);
  }

  @Override
  public void onSegmentPlayed(Segment s, long nowNanos) {
    if (!speaker.played(s)) return;
    idle.agentSpoke();
    emit(new CallEvent.SpeechPlayed(now(), s.turn, s.text, s.kind));
    speaker.runAfterPlayed(); // after the event: a released terminal call may report its result at once
    if (s.kind == SpeechKind.GREETING || s.kind == SpeechKind.IDLE_PROMPT) engine.appendAssistant(s.text);
    if (s.kind == SpeechKind.GOODBYE && state == State.ENDING) {
      finish(endingReason, true);
      return;
    }
    Interruption i = interruption;
    if (i != null && i.resumed && speaker.idle()) commit(i);
    maybeDoneSpeaking();
  }

  private void maybeDoneSpeaking() {
    if (state == State.ENDING || state == State.ENDED) return;
    if (turnRunning || !speaker.idle() || interruption != null) return;
    if (hangUpAfterSpeech) {
      finish("hang_up_tool", true); // the model's own words before the tool were its goodbye, and they played
      return;
    }
    state = State.LISTENING;
    idle.arm();
  }

  @Override
  public void onMarkPlayed(String name) {
    outbound.onMarkPlayed(name, clock.nanoTime());
  }

  @Override
  public void onCleared() {
    outbound.onCleared();
    if (interruption != null) onCleared(interruption);
  }

  private void onCleared(Interruption i) {
    i.clearedTimer = null;
    if (interruption != i || i.cleared) return;
    i.cleared = true;
    maybeCommit(i);
  }

  // ---- interruptions

  /** Barge-in: stop the sender, clear the transport, stop the generation and its speech. */
  void bargeIn(String cause) {
    long heard = outbound.clear(clock.nanoTime());
    List<Segment> cut = speaker.cut();
    hangUpAfterSpeech = false;
    Interruption previous = interruption;
    if (previous != null) previous.cancelTimers();
    int turn = previous != null ? previous.turn : currentTurn;
    long generation = previous != null ? previous.generation : engineGeneration;
    Interruption i = new Interruption(turn, generation, speaker.playedChars(generation), speaker.content(generation),
        cut, heard);
    interruption = i;
    if (turnRunning) {
      turnRunning = false;
      engine.interrupt();
    }
    state = State.LISTENING;
    rt.meters().count("voice_agent_interruptions_total", "cause", cause);
    callLog.info(log).addKeyValue("turn_id", turn).addKeyValue("cause", cause).log("barge-in");
    if (transport.acknowledgesPlayback()) {
      // Without an answer in time, the pacing cursor is the best knowledge of what played.
      i.clearedTimer = clock.schedule(context, config.clearedTimeoutMillis(), () -> onCleared(i));
    } else {
      i.cleared = true;
    }
    if (config.falseInterruptionMillis() > 0 && !i.remainder(audio.bytesPerSecond(), 0).isEmpty()) {
      armGrace(i);
    } else {
      i.wordsHeard = true; // nothing to resume: commit as soon as the clear is confirmed
      maybeCommit(i);
    }
  }

  private void armGrace(Interruption i) {
    i.graceTimer = clock.schedule(context, config.falseInterruptionMillis(), () -> {
      i.graceTimer = null;
      if (interruption != i || i.wordsHeard) return;
      if (detector.userSpeaking()) i.resumeWhenQuiet = true;
      else resume(i);
    });
  }

  /** The caller said words: an interruption waiting for them is a real one. */
  void wordsHeard() {
    Interruption i = interruption;
    if (i == null || i.wordsHeard || i.resumed) return;
    i.wordsHeard = true;
    if (i.graceTimer != null) i.graceTimer.cancel();
    i.graceTimer = null;
    maybeCommit(i);
  }

  private void maybeCommit(Interruption i) {
    if (interruption == i && i.cleared && i.wordsHeard) commit(i);
  }

  /** Writes what the caller heard of the stopped generation to the history; phase two of the interrupt. */
  private void commit(Interruption i) {
    interruption = null;
    i.cancelTimers();
    double bps = audio.bytesPerSecond();
    int heardChars = i.heardChars(bps);
    if (i.turn > 0) engine.commitHeard(i.turn, heardChars);
    i.heardLines(bps).forEach(engine::appendAssistant);
    callLog.info(log).addKeyValue("turn_id", i.turn).addKeyValue("heard_chars", heardChars)
        .addKeyValue("produced_chars", i.content.length()).log("interrupted turn committed");
    i.event(now(), heardChars).ifPresent(this::emit);
    maybeDoneSpeaking();
  }

  /** A false interruption: no words came, so the agent says the rest of what it was saying. */
  private void resume(Interruption i) {
    List<Segment> rest = i.remainder(audio.bytesPerSecond(), speaker.nextSequences(i.cut.size()));
    if (rest.isEmpty()) {
      i.wordsHeard = true;
      maybeCommit(i);
      return;
    }
    i.resumed = true;
    i.cut = rest;
    i.heardBytes = outbound.sentBytes();
    callLog.info(log).addKeyValue("turn_id", i.turn).log("false interruption: resuming");
    emit(new CallEvent.InterruptionResumed(now(), i.turn, String.join(" ", rest.stream().map(s -> s.text).toList())));
    for (Segment s : rest) speaker.speak(s);
    state = State.SPEAKING;
  }

  // ---- DTMF, typed text, hang-up

  @Override
  public void onDtmf(String digits) {
    if (state == State.ENDED) return;
    emit(new CallEvent.DtmfReceived(now(), digits));
    if (config.dtmfToModel()) userText("[The caller pressed the keys: " + digits + "]", "dtmf");
  }

  /** A user turn given as text (typed in a chat box): taken like a final transcript, interrupting the agent. */
  public void sendText(String text) {
    if (text != null && !text.isBlank()) userText(text.strip(), "text");
  }

  private void userText(String text, String cause) {
    if (state == State.ENDING || state == State.ENDED) return;
    if (busy()) bargeIn(cause);
    wordsHeard();
    detector.discardPending();
    runTurn(text);
  }

  @Override
  public void onHangUp(String reason) {
    finish("caller_hang_up", false);
  }

  /** Ends the call from the agent's side: the goodbye first, if any; the hang-up once it played. */
  private void endCall(String reason) {
    if (state == State.ENDING || state == State.ENDED) return;
    if (config.goodbye() == null) {
      finish(reason, true);
      return;
    }
    if (busy()) bargeIn("hang_up");
    if (interruption != null) commit(interruption);
    detector.discardPending();
    idle.cancel();
    state = State.ENDING;
    endingReason = reason;
    speaker.speakLine(currentTurn, config.goodbye(), SpeechKind.GOODBYE);
  }

  void fail(String service, Throwable cause) {
    callLog.warn(log).addKeyValue("service", service).addKeyValue("error", cause.toString()).log("call failed");
    finish("failed: " + service, true);
  }

  private void finish(String reason, boolean agentSide) {
    if (state == State.ENDED) return;
    state = State.ENDED;
    idle.cancel();
    if (interruption != null) interruption.cancelTimers();
    if (turnRunning) {
      turnRunning = false;
      engine.cancel();
    }
    outbound.close();
    if (pacer != null) pacer.remove(outbound);
    if (agentSide) transport.hangUp(reason);
    detector.close();
    speaker.close();
    callLog.info(log).addKeyValue("reason", reason).addKeyValue("turns", turns)
        .addKeyValue("frames_sent", outbound.framesSent).addKeyValue("underruns", outbound.underruns)
        .addKeyValue("cost_usd", cost.toPlainString()).log("call ended");
    emit(new CallEvent.CallEnded(now(), reason, turns, cost, outbound.framesSent, outbound.underruns,
        outbound.maxJitterNanos / 1000));
    onEnded.run();
  }

  // ---- helpers

  long now() {
    return (clock.nanoTime() - startNanos) / 1_000_000;
  }

  void emit(CallEvent e) {
    try {
      events.accept(e);
    } catch (RuntimeException ex) {
      callLog.warn(log).addKeyValue("event", e.getClass().getSimpleName()).setCause(ex).log("call event listener threw");
    }
  }

  void onLoop(Runnable task) {
    if (Thread.currentThread() == loop) task.run();
    else context.runOnContext(v -> task.run());
  }
}
