package voiceagent.core.internal.session;

import io.vertx.core.Context;
import voiceagent.audio.EnergyVad;
import voiceagent.audio.PulseEvent;
import voiceagent.audio.PulseStream;
import voiceagent.common.Clock;
import voiceagent.core.CallEvent;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.config.SessionConfig.TurnPolicy;

/**
 * The listening side of a call: caller audio to Pulse and to the local VAD, {@code finalize} at the local end of
 * speech, and the decision when the caller's turn is over — at once for a final that reads as complete, after up to
 * the policy's maximum for one that sounds unfinished. Speech or words long enough by the current state's policy while
 * the agent thinks or speaks are reported to the session as a barge-in.
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class TurnDetector implements EnergyVad.Listener {
  private final CallSession session;
  private final SessionConfig config;
  private final Clock clock;
  private final Context context;
  private final AudioPaths audio;
  private final EnergyVad vad;
  private final int inputRate;
  private PulseStream pulse;
  private final StringBuilder pendingText = new StringBuilder();
  private boolean userSpeaking;
  private long speechStartSample;
  private long lastEndOfSpeech = TurnTimeline.NONE;
  private long lastFinal = TurnTimeline.NONE;
  private Clock.Cancellable endpointTimer;

  TurnDetector(CallSession session, SessionConfig config, Clock clock, Context context, AudioPaths audio,
      int inputRate) {
    this.session = session;
    this.config = config;
    this.clock = clock;
    this.context = context;
    this.audio = audio;
    this.inputRate = inputRate;
    this.vad = new EnergyVad(config.vad(), inputRate, this);
  }

  /** The Pulse stream is open: audio kept meanwhile goes first. */
  void attach(PulseStream stream) {
    pulse = stream;
    audio.drainPending(stream);
  }

  void onAudio(byte[] data, int off, int len) {
    audio.toPulse(pulse, data, off, len); // first: a finalize triggered below must follow this audio
    audio.toVad(vad, data, off, len);
    if (userSpeaking && session.busy()) {
      long speechMillis = (vad.samplesSeen() - speechStartSample) * 1000 / inputRate;
      if (speechMillis >= session.policy().minSpeechMillis()) session.bargeIn("speech");
    }
  }

  @Override
  public void onSpeechStart(long sampleIndex) {
    if (session.ended()) return;
    userSpeaking = true;
    speechStartSample = sampleIndex;
    cancelEndpointTimer();
    session.onUserStartedSpeaking();
  }

  @Override
  public void onSpeechEnd(long sampleIndex) {
    if (session.ended()) return;
    userSpeaking = false;
    lastEndOfSpeech = clock.nanoTime();
    if (pulse != null) pulse.finalizeTurn();
    session.onUserStoppedSpeaking();
    decide();
  }

  void onPulse(PulseEvent e) {
    if (session.ended()) return;
    switch (e) {
      case PulseEvent.Partial p -> {
        if (p.text().isBlank()) return;
        session.emit(new CallEvent.TranscriptPartial(session.now(), p.text()));
        session.wordsHeard();
        TurnPolicy policy = session.policy();
        if (session.busy() && policy.minWords() > 0 && Utterances.words(p.text()) >= policy.minWords()) {
          session.bargeIn("words");
        }
      }
      case PulseEvent.Final f -> onFinal(f.text());
      case PulseEvent.Failed f -> session.fail("pulse", f.error());
      default -> { }
    }
  }

  private void onFinal(String text) {
    if (text.isBlank()) {
      decide();
      return;
    }
    lastFinal = clock.nanoTime();
    session.emit(new CallEvent.TranscriptFinal(session.now(), text));
    session.wordsHeard();
    if (session.busy()) {
      if (Utterances.words(text) < Math.max(1, session.policy().minWords())) return; // a backchannel: go on
      session.bargeIn("final");
    }
    if (session.ending()) return;
    if (!pendingText.isEmpty()) pendingText.append(' ');
    pendingText.append(text.strip());
    decide();
  }

  /** After a final or the end of speech: end the turn now, or wait a little for more if it sounds unfinished. */
  private void decide() {
    if (userSpeaking || pendingText.isEmpty() || session.ending() || session.ended()) return;
    TurnPolicy p = config.listening();
    String text = pendingText.toString();
    if (Utterances.words(text) < p.minWords()) return;
    cancelEndpointTimer();
    int wait = Utterances.looksUnfinished(text) ? p.endpointingMaxMillis() : p.endpointingMinMillis();
    if (wait == 0) {
      endTurn();
    } else {
      endpointTimer = clock.schedule(context, wait, () -> {
        endpointTimer = null;
        if (!userSpeaking && !session.ended()) endTurn();
      });
    }
  }

  private void endTurn() {
    String text = pendingText.toString().strip();
    pendingText.setLength(0);
    if (!text.isEmpty()) session.runTurn(text);
  }

  /** Text that replaced the caller's speech (typed, DTMF): what was pending is dropped with its timer. */
  void discardPending() {
    cancelEndpointTimer();
    pendingText.setLength(0);
  }

  /** The turn starts: its latency timeline takes the end of speech and the final that led to it. */
  TurnTimeline timeline(int turn) {
    TurnTimeline t = new TurnTimeline(turn, lastEndOfSpeech, lastFinal, clock.nanoTime());
    lastEndOfSpeech = TurnTimeline.NONE;
    lastFinal = TurnTimeline.NONE;
    return t;
  }

  boolean userSpeaking() {
    return userSpeaking;
  }

  /** Whether the caller is mid-utterance: speaking, or a final waiting for its turn. */
  boolean callerActive() {
    return userSpeaking || !pendingText.isEmpty();
  }

  void close() {
    cancelEndpointTimer();
    if (pulse != null) pulse.close();
  }

  private void cancelEndpointTimer() {
    if (endpointTimer != null) endpointTimer.cancel();
    endpointTimer = null;
  }
}
