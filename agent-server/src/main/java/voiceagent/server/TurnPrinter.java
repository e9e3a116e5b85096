package voiceagent.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import voiceagent.common.AgentException;
import voiceagent.core.AgentEvent;
import voiceagent.core.Conversation;

/**
 * Runs conversation turns for the commands that print them ({@code chat}, {@code demo}): each event goes to a
 * {@link ChatOutput} as it arrives, and messages can be read from a terminal one line at a time.
 *
 * <p>Thread contract: stateless; {@link #run} blocks the calling thread (never an event loop) until the turn ends.
 */
final class TurnPrinter {
  private static final ObjectMapper REASON_READER = new ObjectMapper();

  private TurnPrinter() {}

  /**
   * Runs one turn, printing its events and handing each to {@code observer} after printing; returns whether it
   * ended without error. The turn's last line is always {@code done} or {@code error}: a failure is held back until
   * the turn's cost has been printed.
   */
  static boolean run(Conversation conversation, String text, ChatOutput output, Consumer<AgentEvent> observer) {
    AgentException[] failure = {null};
    boolean[] finished = {false};
    try {
      List<AgentEvent> unused = conversation.send(text).doOnNext(event -> {
        switch (event) {
          case AgentEvent.FirstTokenReceived f -> { } // latency is for sessions and metrics, not for the transcript
          case AgentEvent.SpeechReady s -> output.text(s.text());
          case AgentEvent.ToolCallStarted t -> output.toolCall(t.callId(), t.name(), t.arguments(), t.rawArguments());
          case AgentEvent.ToolCallSkipped t -> output.toolCall(t.callId(), t.name(), t.arguments(), t.rawArguments());
          case AgentEvent.ToolCallFinished t ->
              output.toolResult(t.callId(), t.name(), t.durationMillis(), t.error(), t.error() ? reason(t.result()) : null);
          case AgentEvent.UsageRecorded u -> output.usage(u.promptTokens(), u.completionTokens(), u.cachedTokens());
          case AgentEvent.RoundFinished r -> output.round(r.round());
          case AgentEvent.TurnFailed f -> failure[0] = f.error();
          case AgentEvent.TurnFinished f -> {
            finished[0] = true;
            output.cost(f.costUsd());
            if (failure[0] == null) output.done(f.finishReason(), f.requestId());
            else output.error(failure[0]);
          }
        }
        observer.accept(event);
      }).collectList().block();
    } catch (AgentException e) {
      if (failure[0] == null) failure[0] = e; // the turn could not start at all
    }
    if (!finished[0] && failure[0] != null) output.error(failure[0]);
    return failure[0] == null;
  }

  /** Why a tool call failed: the {@code error} of its {@code {"error": ...}} result, else the result as it is. */
  static String reason(String result) {
    try {
      JsonNode error = REASON_READER.readTree(result).get("error");
      if (error != null && error.isTextual()) return error.asText();
    } catch (JsonProcessingException notJson) {
      // a tool's own error text: quoted as it is
    }
    return result;
  }

  /**
   * Hands each non-blank line of {@code in} to {@code turn} until the input ends or a line is {@code /quit};
   * prints a {@code you> } prompt on {@code prompt} (when not null) before each line. Returns whether every turn
   * succeeded.
   */
  static boolean readLoop(BufferedReader in, java.io.PrintWriter prompt, Predicate<String> turn) throws IOException {
    boolean allOk = true;
    while (true) {
      if (prompt != null) {
        prompt.print("you> ");
        prompt.flush();
      }
      String line = in.readLine();
      if (line == null || line.strip().equals("/quit")) return allOk;
      if (line.isBlank()) continue;
      allOk &= turn.test(line.strip());
    }
  }
}
