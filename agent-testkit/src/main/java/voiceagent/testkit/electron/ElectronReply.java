package voiceagent.testkit.electron;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the {@link ElectronEmulator} answers to one request: a scripted SSE stream ({@link #text}, {@link #builder}),
 * raw SSE bytes ({@link #rawSse}) or an HTTP error ({@link #status}, {@link #rateLimited}, {@link #concurrencyLimited}).
 * Replies are values: one instance may be enqueued many times; token counts and ids are filled in per request.
 *
 * <p>Thread contract: immutable.
 */
public sealed interface ElectronReply permits ScriptedStream, ErrorReply, RawSse {

  /**
   * An Electron-shaped text stream: role chunk, {@code text} in word fragments (numbers split, "$1" + "00"),
   * finish {@code stop}, a usage chunk with {@code choices: []} when the request asked for usage, then [DONE].
   */
  static ElectronReply text(String text) {
    return builder().text(text).build();
  }

  /** A builder for streams with tool calls, timings, §10 variants and mid-stream faults. */
  static ElectronReplyBuilder builder() {
    return new ElectronReplyBuilder();
  }

  /** Writes each piece as its own flushed HTTP chunk exactly as given, then ends the response (status 200, SSE). */
  static ElectronReply rawSse(String... pieces) {
    return new RawSse(List.of(pieces));
  }

  /**
   * An error with the documented envelope {@code {"error":{"message","type","request_id"}}}; a 400 also carries
   * {@code details[]}. The message and type follow the status (429 "Rate limit exceeded", 502 "Upstream
   * unavailable", ...).
   */
  static ElectronReply status(int status) {
    return ErrorReply.standard(status);
  }

  /**
   * A body sent byte for byte (plain text, HTML, other JSON shapes) with extra headers: an error, or with status 200
   * what a misconfigured endpoint answers instead of a stream (a proxy's HTML page, a JSON status object).
   */
  static ElectronReply status(int status, String rawBody, Map<String, String> headers) {
    return new ErrorReply(status, null, null, rawBody, Map.copyOf(headers));
  }

  /** 429 "Rate limit exceeded" with {@code Retry-After} in whole seconds (rounded up). */
  static ElectronReply rateLimited(Duration retryAfter) {
    long seconds = (retryAfter.toMillis() + 999) / 1000;
    return new ErrorReply(429, "Rate limit exceeded", "rate_limit_error", null,
        Map.of("Retry-After", Long.toString(seconds)));
  }

  /**
   * 400 with OpenAI's shape for a prompt that does not fit the context window ({@code code:
   * "context_length_exceeded"}), as a server with a smaller window than the emulator's would answer.
   */
  static ElectronReply contextLengthExceeded() {
    return status(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, "
        + "your messages resulted in 9000 tokens. Please reduce the length of the messages.\","
        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
        Map.of("Content-Type", "application/json"));
  }

  /** 429 "Concurrency limit reached", as Electron sends when the plan's in-flight cap is hit. */
  static ElectronReply concurrencyLimited() {
    return ErrorReply.concurrency();
  }
}
