package voiceagent.core;

import com.fasterxml.jackson.databind.JsonNode;
import voiceagent.common.AgentException;

/**
 * What one streaming Electron request reports, in order: at most one {@link FirstToken} (before the first
 * {@link TextDelta} or {@link ToolCallReady} it announces), any number of {@link TextDelta} and {@link ToolCallReady}
 * (interleaved as the model streams them), at most one {@link UsageReported}, then exactly one terminal event —
 * {@link Finished} or {@link Failed}. After {@link ElectronStream#cancel()} nothing more is reported.
 *
 * <p>Thread contract: immutable values.
 */
public sealed interface ElectronEvent {

  /**
   * The first text or tool-call delta of the stream arrived (a tool call's first fragment, long before the call is
   * complete), {@code latencyNanos} after the (last) attempt was sent.
   */
  record FirstToken(long latencyNanos) implements ElectronEvent {}

  /** Text to be spoken ({@code delta.content}, or {@code delta.refusal} when that is the only text). */
  record TextDelta(String text) implements ElectronEvent {}

  /**
   * A tool call whose arguments are complete. {@code arguments} is a JSON object, or {@code null} when
   * {@code rawArguments} did not parse (the tool must not run then).
   */
  record ToolCallReady(int index, String id, String name, JsonNode arguments, String rawArguments)
      implements ElectronEvent {}

  /** Token usage of the request; {@code cachedTokens} are included in {@code promptTokens}. */
  record UsageReported(int promptTokens, int completionTokens, int cachedTokens) implements ElectronEvent {}

  /**
   * The stream ended normally.
   *
   * @param finishReason   {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}, or null when the
   *                       server sent none; unknown values are reported as {@code stop}
   * @param requestId      the server's {@code X-Request-Id}, or null
   * @param firstTokenNanos time from sending the (last) attempt to the first text or tool-call delta, or -1
   * @param attempts       HTTP attempts made, retries included
   */
  record Finished(String finishReason, String requestId, long firstTokenNanos, int attempts) implements ElectronEvent {}

  /** The request failed; text already reported stays reported (it may have been spoken). */
  record Failed(AgentException error, int attempts) implements ElectronEvent {}
}
