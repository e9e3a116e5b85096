package voiceagent.core.internal.turn;

import java.util.regex.Pattern;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Reads a failed request: was it refused by the server for what it carried (so sending the same history again would
 * fail again), and was the reason the context window. Real OpenAI-compatible servers say the latter in many ways:
 * OpenAI's {@code context_length_exceeded}, vLLM's "maximum context length is N tokens", llama.cpp's "exceeds the
 * available context size", TGI's "inputs tokens + max_new_tokens", Electron's "context length is N tokens".
 *
 * <p>Thread contract: stateless.
 */
final class Rejections {
  private static final Pattern CONTEXT = Pattern.compile(
      "context[ _-]?(length|size|window)|maximum context|exceeds? (the )?(available )?context|too many tokens"
          + "|prompt is too long|max_new_tokens", Pattern.CASE_INSENSITIVE);

  private Rejections() {}

  /** Refused for the request itself: a 4xx other than 408 (timeout) and 429 (rate), or an invalid request. */
  static boolean rejected(AgentException e) {
    Integer status = e.status();
    if (status != null) return status >= 400 && status < 500 && status != 408 && status != 429;
    return e.kind() == ErrorKind.INVALID_REQUEST;
  }

  /** Refused because the prompt and the answer do not fit in the model's context window. */
  static boolean contextLength(AgentException e) {
    return rejected(e) && (matches(e.code()) || matches(e.getMessage()));
  }

  private static boolean matches(String s) {
    return s != null && CONTEXT.matcher(s).find();
  }
}
