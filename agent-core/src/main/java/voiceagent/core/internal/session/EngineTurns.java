package voiceagent.core.internal.session;

import java.util.function.Consumer;
import voiceagent.core.AgentEvent;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.internal.turn.TurnEngine;

/**
 * The session's view of the {@link TurnEngine}: start a turn, interrupt it (generation stops at once, the round's
 * text is not written), then commit what the caller heard; speech events become {@link Segment}s carrying their
 * identity.
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class EngineTurns {
  private final TurnEngine engine;

  EngineTurns(TurnEngine engine) {
    this.engine = engine;
  }

  /** Starts turn {@code turn}; the engine numbers turns the same way (one per call of this method). */
  void start(int turn, String userText, Consumer<AgentEvent> listener) {
    int number = engine.startTurn(userText, listener);
    if (number != turn) throw new IllegalStateException("turn numbers diverged: engine " + number + ", session " + turn);
  }

  /** Stops the running turn's generation at once; what was heard is committed later with {@link #commitHeard}. */
  void interrupt() {
    engine.interruptTurn();
  }

  /** Writes the interrupted turn's assistant message cut to the {@code heardChars} the caller heard. */
  void commitHeard(int turn, int heardChars) {
    engine.commitHeard(turn, heardChars);
  }

  /** Ends the running turn keeping everything (hang-up). */
  void cancel() {
    engine.cancelTurn();
  }

  /** Adds a line the runtime spoke (greeting, idle prompt) to the history as the assistant's. */
  void appendAssistant(String text) {
    engine.appendAssistant(text);
  }

  /** The segment a speech event describes, with the engine's identity and character range. */
  static Segment segment(AgentEvent.SpeechReady e) {
    SpeechKind kind = switch (e.kind()) {
      case REPLY -> SpeechKind.REPLY;
      case FILLER -> SpeechKind.FILLER;
      case ESCALATION -> SpeechKind.ESCALATION;
      case FALLBACK -> SpeechKind.FALLBACK;
    };
    return new Segment(e.turn(), e.generation(), e.sequence(), e.text(), kind, e.charStart(), e.charEnd());
  }

  static CallEvent.ToolCallFinished toolFinished(long atMillis, AgentEvent.ToolCallFinished t) {
    return new CallEvent.ToolCallFinished(atMillis, t.turn(), t.callId(), t.name(), t.result(), t.error(),
        t.durationMillis());
  }

  static CallEvent.UsageRecorded usage(long atMillis, AgentEvent.UsageRecorded u) {
    double ratio = u.promptTokens() == 0 ? 0 : (double) u.cachedTokens() / u.promptTokens();
    return new CallEvent.UsageRecorded(atMillis, u.turn(), u.promptTokens(), u.completionTokens(), u.cachedTokens(),
        ratio, u.costUsd());
  }
}
