package voiceagent.core.internal.session;

import io.vertx.core.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.EnergyVad;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningStream;
import voiceagent.audio.PulseEvent;
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
 * One call: the transport's audio to Pulse (and the local VAD), Pulse's finals to the turn engine, the engine's speech
 * to Lightning, Lightning's audio through {@link Outbound} back to the transport — all on the call's context.
 *
 * <p>States: listening (the caller has the floor), thinking (a turn runs, nothing of it played yet), speaking (agent
 * audio plays), ending (the goodbye plays), ended. User speech long enough by the state's policy while thinking or
 * speaking interrupts ({@link Interruption}).
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
  private final EngineTurns engine;
  private final TurnEngine turnEngine;
  private final AudioPaths audio;
  private final Outbound outbound;
  private final EnergyVad vad;
  private final long startNanos;
  private Pacer pacer;
  private PulseStream pulse;
  private LightningStream lightning;
  private boolean pulseOpen;
  private boolean lightningOpen;

  private State state = State.LISTENING;
  private final List<Segment> segments = new ArrayList<>(); // queued or playing, in order
  private final Map<String, Segment> byRequest = new HashMap<>();
  private final List<Segment> unsynthesized = new ArrayList<>(); // waiting for the Lightning stream to open

  // Turn detection.
  private final StringBuilder pendingText = new StringBuilder();
  private boolean userSpeaking;
  private long speechStartSample;
  private long lastEndOfSpeech = TurnTimeline.NONE;
  private long lastFinal = TurnTimeline.NONE;
  private Clock.Cancellable endpointTimer;

  // The running turn.
  private int turns;
  private int currentTurn;
  private boolean turnRunning;
  private long engineGeneration;
  private boolean turnHasSpeech;
  private TurnTimeline timeline;
  private long contentGeneration = -1;
  private final StringBuilder content = new StringBuilder(); // the current generation's content, as produced
  private int playedChars; // of contentGeneration, played in full
  private Interruption interruption;
  private int staticSequence;

  // Idle, hang-up.
  private int idleStage;
  private boolean agentHasSpoken;
  private Clock.Cancellable idleTimer;
  private boolean hangUpAfterSpeech;
  private String endingReason;
  private BigDecimal cost = BigDecimal.ZERO;
  private final Runnable onEnded;

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
    this.startNanos = clock.nanoTime();
    this.vad = new EnergyVad(config.vad(), transport.inputFormat().sampleRate(), new VadListener());
  }

  /** Starts the call: pacing, transport, Pulse and Lightning streams, and the greeting. Call on the call's loop. */
  public void start() {
    assert Thread.currentThread() == loop;
    pacer = rt.pacers().current(context);
    pacer.add(outbound);
    transport.start(this);
    callLog.info(log).addKeyValue("inbound", audio.inboundPath()).addKeyValue("outbound", audio.outboundPath())
        .log("call started");
    rt.pulse().open(audio.pulseFormat(), this::onPulse).onComplete(ar -> onLoop(() -> {
      if (ar.failed()) {
        fail("pulse", ar.cause());
        return;
      }
      pulse = ar.result();
      if (state == State.ENDED) {
        pulse.close();
        return;
      }
      audio.drainPending(pulse);
      pulseOpen = true;
      maybeReady();
    }));
    rt.lightning().open(audio.lightningRate(), this::onLightning).onComplete(ar -> onLoop(() -> {
      if (ar.failed()) {
        fail("lightning", ar.cause());
        return;
      }
      lightning = ar.result();
      if (state == State.ENDED) {
        lightning.close();
        return;
      }
      lightningOpen = true;
      for (Segment s : unsynthesized) synthesize(s);
      unsynthesized.clear();
      maybeReady();
    }));
    if (config.greeting() != null) speakLine(config.greeting(), SpeechKind.GREETING);
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

  public List<ChatMessage> history() {
    return turnEngine.history();
  }

  // ---- inbound audio and turn detection

  @Override
  public void onAudio(byte[] data, int off, int len) {
    if (state == State.ENDED) return;
    audio.toPulse(pulse, data, off, len); // first: a finalize triggered below must follow this audio
    audio.toVad(vad, data, off, len);
    if (userSpeaking && (state == State.THINKING || state == State.SPEAKING)) {
      TurnPolicy p = policy();
      long speechMillis = (vad.samplesSeen() - speechStartSample) * 1000 / transport.inputFormat().sampleRate();
      if (speechMillis >= p.minSpeechMillis()) bargeIn("speech");
    }
  }

  private final class VadListener implements EnergyVad.Listener {
    @Override
    public void onSpeechStart(long sampleIndex) {
      if (state == State.ENDED) return;
      userSpeaking = true;
      speechStartSample = sampleIndex;
      cancelEndpointTimer();
      cancelIdle();
      idleStage = 0;
      emit(new CallEvent.UserStartedSpeaking(now()));
    }

    @Override
    public void onSpeechEnd(long sampleIndex) {
      if (state == State.ENDED) return;
      userSpeaking = false;
      lastEndOfSpeech = clock.nanoTime();
      emit(new CallEvent.UserStoppedSpeaking(now()));
      if (pulse != null) pulse.finalizeTurn();
      Interruption i = interruption;
      if (i != null && i.resumeWhenQuiet && !i.wordsHeard) {
        i.resumeWhenQuiet = false;
        armGrace(i);
      }
      decide();
    }
  }

  private void onPulse(PulseEvent e) {
    if (state == State.ENDED) return;
    switch (e) {
      case PulseEvent.Partial p -> {
        if (p.text().isBlank()) return;
        emit(new CallEvent.TranscriptPartial(now(), p.text()));
        wordsHeard();
        if ((state == State.THINKING || state == State.SPEAKING) && policy().minWords() > 0
            && Utterances.words(p.text()) >= policy().minWords()) {
          bargeIn("words");
        }
      }
      case PulseEvent.Final f -> onFinal(f.text());
      case PulseEvent.Failed f -> fail("pulse", f.error());
      default -> { }
    }
  }

  private void onFinal(String text) {
    if (text.isBlank()) {
      decide();
      return;
    }
    lastFinal = clock.nanoTime();
    emit(new CallEvent.TranscriptFinal(now(), text));
    wordsHeard();
    if (state == State.THINKING || state == State.SPEAKING) {
      if (Utterances.words(text) < Math.max(1, policy().minWords())) return; // a backchannel: the agent goes on
      bargeIn("final");
    }
    if (state == State.ENDING) return;
    if (!pendingText.isEmpty()) pendingText.append(' ');
    pendingText.append(text.strip());
    decide();
  }

  /** After a final or the end of speech: end the turn now, or wait a little for more if it sounds unfinished. */
  private void decide() {
    if (userSpeaking || pendingText.isEmpty() || state == State.ENDING || state == State.ENDED) return;
    TurnPolicy p = config.listening();
    if (Utterances.words(pendingText.toString()) < p.minWords()) return;
    cancelEndpointTimer();
    int wait = Utterances.looksUnfinished(pendingText.toString()) ? p.endpointingMaxMillis() : p.endpointingMinMillis();
    if (wait == 0) {
      startTurn();
    } else {
      endpointTimer = clock.schedule(context, wait, () -> {
        endpointTimer = null;
        if (!userSpeaking && state != State.ENDED) startTurn();
      });
    }
  }

  private void startTurn() {
    String text = pendingText.toString().strip();
    pendingText.setLength(0);
    if (text.isEmpty()) return;
    runTurn(text);
  }

  private void runTurn(String userText) {
    if (interruption != null) commit(interruption);
    cancelIdle();
    idleStage = 0;
    long now = clock.nanoTime();
    currentTurn = ++turns;
    timeline = new TurnTimeline(currentTurn, lastEndOfSpeech, lastFinal, now);
    lastEndOfSpeech = TurnTimeline.NONE;
    lastFinal = TurnTimeline.NONE;
    turnRunning = true;
    turnHasSpeech = false;
    hangUpAfterSpeech = false;
    state = State.THINKING;
    emit(new CallEvent.TurnStarted(now(), currentTurn, userText));
    engine.start(currentTurn, userText, this::onAgentEvent);
  }

  private TurnPolicy policy() {
    return switch (state) {
      case THINKING -> config.thinking();
      case SPEAKING -> config.speaking();
      default -> config.listening();
    };
  }

  private void cancelEndpointTimer() {
    if (endpointTimer != null) endpointTimer.cancel();
    endpointTimer = null;
  }

  // ---- the engine's events

  private void onAgentEvent(AgentEvent e) {
    if (state == State.ENDED || e.turn() != currentTurn) return;
    engineGeneration = Math.max(engineGeneration, e.generation());
    switch (e) {
      case AgentEvent.SpeechReady s -> {
        if (turnRunning) speak(EngineTurns.segment(s));
      }
      case AgentEvent.ToolCallStarted t -> {
        emit(new CallEvent.ToolCallStarted(now(), t.turn(), t.callId(), t.name(), t.rawArguments()));
        if (t.name().equals(config.hangUpTool())) hangUpAfterSpeech = true;
      }
      case AgentEvent.ToolCallFinished t -> emit(new CallEvent.ToolCallFinished(now(), t.turn(), t.callId(), t.name(),
          t.result(), t.error(), t.durationMillis()));
      case AgentEvent.UsageRecorded u -> {
        cost = cost.add(u.costUsd());
        double ratio = u.promptTokens() == 0 ? 0 : (double) u.cachedTokens() / u.promptTokens();
        emit(new CallEvent.UsageRecorded(now(), u.turn(), u.promptTokens(), u.completionTokens(), u.cachedTokens(),
            ratio, u.costUsd()));
      }
      case AgentEvent.FirstTokenReceived f -> {
        if (timeline != null && f.turn() == timeline.turn) {
          timeline.firstToken = TurnTimeline.first(timeline.firstToken, clock.nanoTime());
        }
      }
      case AgentEvent.RoundFinished r -> engineGeneration = r.generation() + 1; // the next round's request
      case AgentEvent.TurnFinished f -> {
        boolean stopped = !turnRunning;
        turnRunning = false;
        emit(new CallEvent.TurnEnded(now(), f.turn(), stopped ? "interrupted" : f.outcome()));
        if (!stopped) maybeDoneSpeaking();
      }
      default -> { }
    }
  }

  private void speak(Segment s) {
    if (s.isModelContent()) {
      if (s.generation != contentGeneration) {
        contentGeneration = s.generation;
        content.setLength(0);
        playedChars = 0;
      }
      while (content.length() < s.charStart) content.append(' ');
      content.setLength(s.charStart);
      content.append(s.text);
    }
    s.firstOfTurn = !turnHasSpeech;
    turnHasSpeech = true;
    if (timeline != null && s.turn == timeline.turn) {
      timeline.firstSegment = TurnTimeline.first(timeline.firstSegment, clock.nanoTime());
    }
    segments.add(s);
    if (lightning == null) unsynthesized.add(s);
    else synthesize(s);
  }

  private void synthesize(Segment s) {
    s.requestId = "t" + s.turn + "-g" + s.generation + "-s" + s.sequence;
    byRequest.put(s.requestId, s);
    s.synthesis = lightning.begin(s.requestId);
    s.synthesis.append(s.text);
    s.synthesis.flush();
  }

  /** A fixed line (greeting, idle prompt, goodbye): synthesised once per agent, then reused. */
  private void speakLine(String text, SpeechKind kind) {
    Segment s = new Segment(currentTurn, 0, ++staticSequence, text, kind, -1, -1);
    segments.add(s);
    rt.lines().audio(text, audio.lightningRate()).onComplete(ar -> onLoop(() -> {
      if (!segments.contains(s)) return; // cut before its audio came
      if (ar.succeeded()) {
        byte[] out = audio.toTransport(ar.result(), ar.result().length);
        outbound.enqueue(s, out, 0, audio.lastLength());
      }
      synthesized(s);
    }));
  }

  private void onLightning(LightningEvent e) {
    if (state == State.ENDED) return;
    switch (e) {
      case LightningEvent.AudioChunk c -> {
        Segment s = byRequest.get(c.requestId());
        if (s == null) return;
        if (timeline != null && s.turn == timeline.turn) {
          timeline.firstAudio = TurnTimeline.first(timeline.firstAudio, clock.nanoTime());
        }
        byte[] out = audio.toTransport(c.pcm16(), c.pcm16().length);
        outbound.enqueue(s, out, 0, audio.lastLength());
      }
      case LightningEvent.WordTimestamp w -> {
        Segment s = byRequest.get(w.requestId());
        if (s != null) s.addWord(w.word(), w.start(), w.end());
      }
      case LightningEvent.Completed c -> endSynthesis(c.requestId());
      case LightningEvent.Failed f -> {
        callLog.warn(log).addKeyValue("request_id", f.requestId()).addKeyValue("kind", f.error().kind())
            .log("speech synthesis failed");
        endSynthesis(f.requestId());
      }
      case LightningEvent.Reconnected r -> callLog.debug(log).addKeyValue("reason", r.reason()).log("tts reconnected");
    }
  }

  private void endSynthesis(String requestId) {
    Segment s = byRequest.remove(requestId);
    if (s != null) synthesized(s);
  }

  private void synthesized(Segment s) {
    s.synthesized = true;
    outbound.endSegment(s);
    emit(new CallEvent.SpeechSynthesized(now(), s.turn, s.text, s.kind,
        (long) (s.queuedBytes * 1000 / audio.bytesPerSecond())));
  }

  // ---- playback

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
    t.firstFramePlayed = TurnTimeline.first(t.firstFramePlayed, playedAtNanos);
    t.reported = true;
    CallEvent.TurnLatency latency = t.latency(now());
    rt.meters().record(latency);
    callLog.info(log).addKeyValue("turn_id", t.turn).addKeyValue("total_ms", latency.totalToFirstFrameMillis())
        .addKeyValue("runtime_ms", latency.runtimeMillis()).log("turn latency");
    emit(latency);
  }

  @Override
  public void onSegmentPlayed(Segment s, long nowNanos) {
    boolean live = segments.remove(s);
    s.played = true; // a cut segment whose mark came back from before the clear still counts as heard
    if (!live) return;
    agentHasSpoken = true;
    emit(new CallEvent.SpeechPlayed(now(), s.turn, s.text, s.kind));
    if (s.isModelContent() && s.generation == contentGeneration) playedChars = Math.max(playedChars, s.charEnd);
    if (s.kind == SpeechKind.GREETING || s.kind == SpeechKind.IDLE_PROMPT) engine.appendAssistant(s.text);
    if (s.kind == SpeechKind.GOODBYE && state == State.ENDING) {
      finish(endingReason, true);
      return;
    }
    Interruption i = interruption;
    if (i != null && i.resumed && segments.isEmpty()) commit(i);
    maybeDoneSpeaking();
  }

  private void maybeDoneSpeaking() {
    if (state == State.ENDING || state == State.ENDED) return;
    if (turnRunning || !segments.isEmpty() || interruption != null) return;
    if (hangUpAfterSpeech) {
      finish("hang_up_tool", true); // the model's own words before the tool were its goodbye, and they played
      return;
    }
    state = State.LISTENING;
    armIdle();
  }

  @Override
  public void onMarkPlayed(String name) {
    outbound.onMarkPlayed(name, clock.nanoTime());
  }

  @Override
  public void onCleared() {
    outbound.onCleared();
    Interruption i = interruption;
    if (i != null && !i.cleared) {
      i.cleared = true;
      maybeCommit(i);
    }
  }

  // ---- interruptions

  private void bargeIn(String cause) {
    long now = clock.nanoTime();
    long heard = outbound.clear(now);
    List<Segment> cut = List.copyOf(segments);
    for (Segment s : cut) {
      if (s.synthesis != null && !s.synthesized) s.synthesis.cancel();
    }
    segments.clear();
    byRequest.clear();
    unsynthesized.clear();
    hangUpAfterSpeech = false;
    Interruption previous = interruption;
    if (previous != null) previous.cancelTimers();
    int turn = previous != null ? previous.turn : currentTurn;
    long generation = previous != null ? previous.generation : engineGeneration;
    String produced = contentGeneration == generation ? content.toString() : "";
    Interruption i = new Interruption(turn, generation, contentGeneration == generation ? playedChars : 0, produced,
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
      i.clearedTimer = clock.schedule(context, config.clearedTimeoutMillis(), () -> {
        i.clearedTimer = null;
        if (interruption == i && !i.cleared) {
          i.cleared = true; // no answer: the pacing cursor is the best knowledge of what played
          maybeCommit(i);
        }
      });
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
      if (userSpeaking) i.resumeWhenQuiet = true;
      else resume(i);
    });
  }

  private void wordsHeard() {
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
    for (Segment s : i.cut) {
      if (s.kind == SpeechKind.GREETING || s.kind == SpeechKind.IDLE_PROMPT) {
        int n = Interruption.heardOf(s, i.heardBytes, bps);
        if (n > 0) engine.appendAssistant(s.text.substring(0, n));
      }
    }
    String heard = i.content.substring(0, heardChars).strip();
    String unheard = i.content.substring(heardChars).strip();
    callLog.info(log).addKeyValue("turn_id", i.turn).addKeyValue("heard_chars", heardChars)
        .addKeyValue("produced_chars", i.content.length()).log("interrupted turn committed");
    // A resumed reply that played to its end was not an interruption after all.
    if (!(i.resumed && unheard.isEmpty())) emit(new CallEvent.Interrupted(now(), i.turn, heard, unheard));
    maybeDoneSpeaking();
  }

  /** A false interruption: no words came, so the agent says the rest of what it was saying. */
  private void resume(Interruption i) {
    List<Segment> rest = i.remainder(audio.bytesPerSecond(), 1_000_000 + staticSequence++);
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
    rest.getFirst().firstOfTurn = false;
    for (Segment s : rest) {
      segments.add(s);
      if (lightning == null) unsynthesized.add(s);
      else synthesize(s);
    }
    state = State.SPEAKING;
  }

  // ---- idle, DTMF, hang-up

  private void armIdle() {
    cancelIdle();
    if (config.idlePromptMillis() == 0 || !agentHasSpoken) return;
    if (idleStage == 0) {
      idleTimer = clock.schedule(context, config.idlePromptMillis(), () -> {
        idleTimer = null;
        if (state != State.LISTENING || userSpeaking || !pendingText.isEmpty()) return;
        idleStage = 1;
        speakLine(config.idlePrompt(), SpeechKind.IDLE_PROMPT);
      });
    } else if (config.idleHangUpMillis() > 0) {
      idleTimer = clock.schedule(context, config.idleHangUpMillis(), () -> {
        idleTimer = null;
        if (state == State.LISTENING && !userSpeaking && pendingText.isEmpty()) endCall("idle");
      });
    }
  }

  private void cancelIdle() {
    if (idleTimer != null) idleTimer.cancel();
    idleTimer = null;
  }

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
    if (state == State.THINKING || state == State.SPEAKING) bargeIn(cause);
    wordsHeard();
    cancelEndpointTimer();
    pendingText.setLength(0);
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
    if (state == State.THINKING || state == State.SPEAKING) bargeIn("hang_up");
    if (interruption != null) commit(interruption);
    cancelEndpointTimer();
    cancelIdle();
    state = State.ENDING;
    endingReason = reason;
    speakLine(config.goodbye(), SpeechKind.GOODBYE);
  }

  private void fail(String service, Throwable cause) {
    callLog.warn(log).addKeyValue("service", service).addKeyValue("error", cause.toString()).log("call failed");
    finish("failed: " + service, true);
  }

  private void finish(String reason, boolean agentSide) {
    if (state == State.ENDED) return;
    state = State.ENDED;
    cancelEndpointTimer();
    cancelIdle();
    if (interruption != null) interruption.cancelTimers();
    if (turnRunning) {
      turnRunning = false;
      engine.cancel();
    }
    for (Segment s : segments) {
      if (s.synthesis != null && !s.synthesized) s.synthesis.cancel();
    }
    segments.clear();
    outbound.close();
    if (pacer != null) pacer.remove(outbound);
    if (agentSide) transport.hangUp(reason);
    if (pulse != null) pulse.close();
    if (lightning != null) lightning.close();
    callLog.info(log).addKeyValue("reason", reason).addKeyValue("turns", turns)
        .addKeyValue("frames_sent", outbound.framesSent).addKeyValue("underruns", outbound.underruns)
        .addKeyValue("cost_usd", cost.toPlainString()).log("call ended");
    emit(new CallEvent.CallEnded(now(), reason, turns, cost, outbound.framesSent, outbound.underruns,
        outbound.maxJitterNanos / 1000));
    onEnded.run();
  }

  // ---- helpers

  private long now() {
    return (clock.nanoTime() - startNanos) / 1_000_000;
  }

  private void emit(CallEvent e) {
    try {
      events.accept(e);
    } catch (RuntimeException ex) {
      callLog.warn(log).addKeyValue("event", e.getClass().getSimpleName()).setCause(ex).log("call event listener threw");
    }
  }

  private void onLoop(Runnable task) {
    if (Thread.currentThread() == loop) task.run();
    else context.runOnContext(v -> task.run());
  }
}
