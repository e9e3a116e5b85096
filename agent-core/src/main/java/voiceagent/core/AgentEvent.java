package voiceagent.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import voiceagent.common.AgentException;

/**
 * What a conversation reports while it runs a turn, in order. A turn reports any number of
 * {@link FirstTokenReceived}, {@link SpeechReady}, {@link ToolCallStarted}/{@link ToolCallFinished},
 * {@link ToolCallSkipped}, {@link UsageRecorded} and {@link RoundFinished}, then exactly one {@link TurnFinished} —
 * preceded by {@link TurnFailed} when it ended on an error. {@link TurnFinished} is terminal: nothing of that turn is
 * reported after it.
 *
 * <p>Every event carries the turn and the generation (one Electron request) it belongs to; events of a generation that
 * was superseded (a cancelled or interrupted turn) are never reported.
 *
 * <p>Thread contract: immutable values.
 */
public sealed interface AgentEvent {

  /** The turn this event belongs to (1, 2, ... within a conversation). */
  int turn();

  /** The generation (Electron request) this event belongs to, increasing within a conversation; 0 when none. */
  long generation();

  /** Why a piece of speech was produced. */
  enum SpeechKind {
    /** The model's own words. */
    REPLY,
    /** A filler spoken by the runtime while tools run ("Let me check that for you."). */
    FILLER,
    /** The line spoken when tools are still running after the escalation delay. */
    ESCALATION,
    /** The apology spoken when a turn fails before anything was said. */
    FALLBACK
  }

  /**
   * A segment of text ready for speech synthesis, clean of markup. Its identity (turn, generation, sequence) is what
   * a call session's playback marks map back to; its character range is what the heard length of an interrupted
   * answer is counted in.
   *
   * @param sequence  numbers the turn's segments (every kind) from 0, in the order they are reported
   * @param charStart for {@link SpeechKind#REPLY}: where the segment starts in its generation's assistant content
   *                  (the reply segments of one generation joined by single spaces, as written to the history);
   *                  -1 for the runtime's own words (fillers, escalation, fallback), which are not in the history
   * @param charEnd   for {@link SpeechKind#REPLY}: where it ends (exclusive), so that
   *                  {@code content.substring(charStart, charEnd).equals(text)}; -1 for the runtime's own words
   */
  record SpeechReady(int turn, long generation, int sequence, String text, SpeechKind kind, int charStart,
      int charEnd) implements AgentEvent {}

  /**
   * The first text or tool-call delta of one Electron request arrived, once per request: {@code latencyNanos} after
   * the request (its last attempt) was sent.
   */
  record FirstTokenReceived(int turn, long generation, long latencyNanos) implements AgentEvent {}

  /**
   * A tool call started, the moment its arguments were complete. {@code arguments} is null when
   * {@code rawArguments} did not parse (the tool then answers with an error result at once).
   */
  record ToolCallStarted(int turn, long generation, String callId, String name, JsonNode arguments,
      String rawArguments) implements AgentEvent {}

  /** A tool call finished; {@code error} results are passed to the model as they are. */
  record ToolCallFinished(int turn, long generation, String callId, String name, String result, boolean error,
      long durationMillis) implements AgentEvent {}

  /**
   * A tool call the model made that was not run: reported only ({@code maxToolRounds = 0}), refused as a loop, or
   * past the round limit.
   */
  record ToolCallSkipped(int turn, long generation, String callId, String name, JsonNode arguments,
      String rawArguments, String reason) implements AgentEvent {}

  /** Token usage of one Electron request and what it cost; {@code cachedTokens} are part of {@code promptTokens}. */
  record UsageRecorded(int turn, long generation, int promptTokens, int completionTokens, int cachedTokens,
      BigDecimal costUsd, String requestId) implements AgentEvent {}

  /** One round (an Electron request plus the tools it called) is complete. */
  record RoundFinished(int turn, long generation, int round, String finishReason, int toolCalls)
      implements AgentEvent {}

  /** The turn failed; the conversation goes on. */
  record TurnFailed(int turn, long generation, AgentException error) implements AgentEvent {}

  /**
   * The turn is over.
   *
   * @param spokenText what the model said in this turn (fillers excluded), handed to speech; an interrupted turn's
   *                   history keeps only the part that was heard
   * @param rounds     Electron requests made
   * @param costUsd    cost of this turn's requests
   * @param outcome    {@code answered}, {@code max_rounds}, {@code loop}, {@code reported}, {@code failed},
   *                   {@code cancelled} (stopped, everything spoken kept) or {@code interrupted} (stopped by a
   *                   barge-in; the history keeps what the caller heard, once the session reports it)
   * @param finishReason the last request's finish reason, or null
   * @param requestId  the last request's {@code X-Request-Id}, or null
   */
  record TurnFinished(int turn, long generation, String spokenText, int rounds, BigDecimal costUsd, String outcome,
      String finishReason, String requestId) implements AgentEvent {}
}
