package voiceagent.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import voiceagent.core.AgentEvent;
import voiceagent.core.Conversation;

/**
 * Runs conversation turns for the commands that print them ({@code chat}, {@code demo}): each event goes to a
 * {@link ChatOutput} as it arrives, and messages can be read from a terminal one line at a time.
 *
 * <p>Thread contract: stateless; {@link #run} blocks the calling thread (never an event loop) until the turn ends.
 */
final class TurnPrinter {
  private TurnPrinter() {}

  /**
   * Runs one turn, printing its events and handing each to {@code observer} after printing; returns whether it
   * ended without error.
   */
  static boolean run(Conversation conversation, String text, ChatOutput output, Consumer<AgentEvent> observer) {
    boolean[] ok = {true};
    List<AgentEvent> unused = conversation.send(text).doOnNext(event -> {
      switch (event) {
        case AgentEvent.FirstTokenReceived f -> { } // latency is for sessions and metrics, not for the transcript
        case AgentEvent.SpeechReady s -> output.text(s.text());
        case AgentEvent.ToolCallStarted t -> output.toolCall(t.callId(), t.name(), t.arguments(), t.rawArguments());
        case AgentEvent.ToolCallSkipped t -> output.toolCall(t.callId(), t.name(), t.arguments(), t.rawArguments());
        case AgentEvent.ToolCallFinished t -> output.toolResult(t.callId(), t.name(), t.durationMillis(), t.error());
        case AgentEvent.UsageRecorded u -> output.usage(u.promptTokens(), u.completionTokens(), u.cachedTokens());
        case AgentEvent.RoundFinished r -> output.round(r.round());
        case AgentEvent.TurnFailed f -> {
          ok[0] = false;
          output.error(f.error());
        }
        case AgentEvent.TurnFinished f -> {
          output.cost(f.costUsd());
          if (ok[0]) output.done(f.finishReason(), f.requestId());
        }
      }
      observer.accept(event);
    }).collectList().block();
    return ok[0];
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
