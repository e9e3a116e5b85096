package voiceagent.tools;

import java.util.Objects;
import voiceagent.tools.internal.dispatch.Json;

/**
 * What one tool call produced: the text sent back to the model as the {@code tool} message, whether it is an error,
 * and when the tool ran.
 *
 * <p>Thread contract: immutable.
 *
 * @param callId the {@link ToolCall#id()} this answers
 * @param name the tool name
 * @param content the text for the model: the tool's output, or a short JSON error such as
 *     {@code {"error":"timed out after 2000 ms"}} (never a stack trace)
 * @param error whether the call failed (bad arguments, exception, timeout, HTTP error, cancel)
 * @param startedNanos {@link voiceagent.common.Clock#nanoTime()} when the tool body started, or when the call was
 *     refused if it never started
 * @param finishedNanos {@link voiceagent.common.Clock#nanoTime()} when the result was decided
 */
public record ToolResult(String callId, String name, String content, boolean error, long startedNanos,
    long finishedNanos) {

  public ToolResult {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  /** A successful result. */
  public static ToolResult ok(ToolCall call, String content, long startedNanos, long finishedNanos) {
    return new ToolResult(call.id(), call.name(), content, false, startedNanos, finishedNanos);
  }

  /** An error result whose content is {@code {"error":message}}, with the message shortened for the model. */
  public static ToolResult error(ToolCall call, String message, long startedNanos, long finishedNanos) {
    return new ToolResult(call.id(), call.name(), Json.errorContent(message), true, startedNanos, finishedNanos);
  }

  /** How long the tool ran, in milliseconds. */
  public long durationMillis() {
    return Math.max(0, finishedNanos - startedNanos) / 1_000_000;
  }
}
