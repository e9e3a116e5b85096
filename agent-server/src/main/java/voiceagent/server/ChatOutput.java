package voiceagent.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import voiceagent.common.AgentException;

/**
 * What {@code voice-agent chat} prints: with {@code --json} one JSON object per line on stdout (the contract other
 * tools parse — keys and order exactly as documented), otherwise text as it streams, like a person would read it.
 * {@code voice-agent demo} prints the same, each text line led by a speaker label, plus lines of its own
 * ({@link #note}).
 *
 * <p>Thread contract: not thread-safe; called from one context.
 */
final class ChatOutput {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final String speaker;
  private boolean midLine;
  private String costEstimate;
  private boolean textCost;

  ChatOutput(PrintWriter out, PrintWriter err, boolean json) {
    this(out, err, json, "");
  }

  /** An output whose text lines start with {@code speaker} (e.g. {@code "agent: "}). */
  ChatOutput(PrintWriter out, PrintWriter err, boolean json, String speaker) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.speaker = speaker;
  }

  /**
   * Labels every cost from now on as an estimate of {@code source} (e.g. {@code emulator}: the emulator's token
   * counts priced at Electron's prices, not a bill).
   */
  void costEstimate(String source) {
    costEstimate = source;
  }

  /** Prints each turn's cost on stderr in text mode too ({@code chat}; {@code demo} sums it up instead). */
  void textCost() {
    textCost = true;
  }

  /** A JSON line's object, {@code {"event": name}}, for {@link #note}. */
  static ObjectNode event(String name) {
    return JSON.createObjectNode().put("event", name);
  }

  /** A line of its own on stdout: {@code jsonLine} with {@code --json}, else {@code textLine}. */
  void note(ObjectNode jsonLine, String textLine) {
    if (json) {
      line(jsonLine);
    } else {
      endLine();
      out.println(textLine);
      out.flush();
    }
  }

  void text(String text) {
    if (json) {
      line(JSON.createObjectNode().put("event", "text").put("text", text));
    } else {
      out.print(midLine ? " " + text : speaker + text); // segments arrive trimmed: put the space back between them
      out.flush();
      midLine = !text.endsWith("\n");
    }
  }

  void toolCall(String id, String name, JsonNode arguments, String rawArguments) {
    if (json) {
      ObjectNode o = JSON.createObjectNode().put("event", "tool_call").put("id", id).put("name", name);
      if (arguments != null) {
        o.set("arguments", arguments);
      } else {
        o.putNull("arguments");
        o.put("raw_arguments", rawArguments);
      }
      line(o);
    } else {
      endLine();
      err.println("→ " + name + " " + (arguments != null ? arguments.toString() : rawArguments));
    }
  }

  /** A finished tool call; {@code reason} (why it failed: HTTP status, timeout, connection refused) when it failed. */
  void toolResult(String id, String name, long millis, boolean error, String reason) {
    if (json) {
      ObjectNode o = JSON.createObjectNode().put("event", "tool_result").put("id", id).put("name", name)
          .put("ms", millis).put("error", error);
      if (error) o.put("reason", reason);
      line(o);
    } else {
      endLine();
      err.println("← " + name + (error ? " failed" : " done") + " in " + millis + " ms"
          + (error && reason != null ? ": " + reason : ""));
    }
  }

  void usage(int prompt, int completion, int cached) {
    if (json) {
      line(JSON.createObjectNode().put("event", "usage").put("prompt_tokens", prompt)
          .put("completion_tokens", completion).put("cached_tokens", cached));
    }
  }

  void round(int n) {
    if (json) line(JSON.createObjectNode().put("event", "round").put("n", n));
  }

  void cost(java.math.BigDecimal usd) {
    if (json) {
      ObjectNode o = JSON.createObjectNode().put("event", "cost").put("usd", usd);
      if (costEstimate != null) o.put("estimate", costEstimate);
      line(o);
    } else if (textCost && usd != null && usd.signum() > 0) { // a turn refused before any token costs nothing
      endLine();
      err.println("cost: $" + usd.toPlainString() + (costEstimate == null ? "" : " (" + costEstimate + " estimate)"));
      err.flush();
    }
  }

  void error(AgentException e) {
    if (json) {
      ObjectNode o = JSON.createObjectNode().put("event", "error");
      if (e.status() != null) o.put("status", e.status());
      else o.putNull("status");
      o.put("code", e.code());
      o.put("message", e.getMessage());
      o.put("request_id", e.requestId());
      o.put("retryable", e.retriable());
      line(o);
    } else {
      endLine();
      err.println(CliErrors.describe(e, null, null).line());
      err.flush();
    }
  }

  void done(String finishReason, String requestId) {
    if (json) {
      line(JSON.createObjectNode().put("event", "done").put("finish_reason", finishReason)
          .put("request_id", requestId));
    } else {
      endLine();
    }
  }

  private void endLine() {
    if (midLine) {
      out.println();
      out.flush();
      midLine = false;
    }
  }

  private void line(ObjectNode node) {
    out.println(node.toString());
    out.flush();
  }
}
