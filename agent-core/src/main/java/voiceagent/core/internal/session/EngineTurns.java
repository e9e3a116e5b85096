package voiceagent.core.internal.session;

import java.util.function.Consumer;
import voiceagent.core.AgentEvent;
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
  // Character ranges of REPLY segments within their generation's content, as the engine joins them (one space).
  private long rangeGeneration = -1;
  private int contentLength;
  private int sequence;

  EngineTurns(TurnEngine engine) {
    this.engine = engine;
  }

  void start(String userText, Consumer<AgentEvent> listener) {
    engine.startTurn(userText, listener);
  }

  /** Stops the running turn's generation at once; what was heard is committed later with {@link #commitHeard}. */
  void interrupt() {
    engine.cancelTurn();
  }

  /** Writes the interrupted turn's assistant message cut to the {@code heardChars} the caller heard. */
  void commitHeard(int turn, int heardChars) {
    // The engine of this branch writes the whole spoken text when the turn is cancelled.
  }

  /** Ends the running turn keeping everything (hang-up). */
  void cancel() {
    engine.cancelTurn();
  }

  /** Adds a line the runtime spoke (greeting, idle prompt) to the history as the assistant's. */
  void appendAssistant(String text) {
    // Needs the engine's appendAssistant.
  }

  /** The segment a speech event describes. */
  Segment segment(AgentEvent.SpeechReady e) {
    if (e.generation() != rangeGeneration) {
      rangeGeneration = e.generation();
      contentLength = 0;
    }
    SpeechKind kind = switch (e.kind()) {
      case REPLY -> SpeechKind.REPLY;
      case FILLER -> SpeechKind.FILLER;
      case ESCALATION -> SpeechKind.ESCALATION;
      case FALLBACK -> SpeechKind.FALLBACK;
    };
    int start = -1;
    int end = -1;
    if (kind == SpeechKind.REPLY) {
      start = contentLength == 0 ? 0 : contentLength + 1;
      end = start + e.text().length();
      contentLength = end;
    }
    return new Segment(e.turn(), e.generation(), ++sequence, e.text(), kind, start, end);
  }
}
