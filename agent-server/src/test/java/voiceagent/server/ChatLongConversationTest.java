package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A long interactive conversation on the emulator keeps answering, turn after turn. */
class ChatLongConversationTest {
  private static final int TURNS = 1_000;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a wedge, not speed
  void aThousandPipedLinesAreEachAnswered() throws Exception {
    StringBuilder stdin = new StringBuilder();
    for (int i = 1; i <= TURNS; i++) stdin.append("line ").append(i).append('\n');

    ChatRun run = ChatRun.of(stdin.toString(), "--json", "--interactive", "--emulator");

    // Each turn's lines, split at its done or error line: every turn ends with done and says something.
    List<List<JsonNode>> turns = new ArrayList<>();
    List<JsonNode> turn = new ArrayList<>();
    for (JsonNode line : run.lines()) {
      turn.add(line);
      String event = line.path("event").asText();
      if (event.equals("done") || event.equals("error")) {
        turns.add(turn);
        turn = new ArrayList<>();
      }
    }
    assertEquals(List.of(), turn, "nothing after the last turn's end");
    assertEquals(TURNS, turns.size(), "turns that ended");
    for (int i = 0; i < TURNS; i++) {
      List<JsonNode> lines = turns.get(i);
      assertEquals("done", lines.getLast().path("event").asText(), "turn " + (i + 1) + ": " + lines.getLast());
      assertTrue(lines.stream().anyMatch(l -> l.path("event").asText().equals("text")
          && !l.path("text").asText().isBlank()), "turn " + (i + 1) + " answered: " + lines);
    }
    assertEquals(0, run.status(), run.err());
  }
}
