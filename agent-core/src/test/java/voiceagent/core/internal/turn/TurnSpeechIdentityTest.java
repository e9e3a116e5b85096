package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** What a session maps playback back to: segment identity and ranges, and the first token of each request. */
class TurnSpeechIdentityTest {
  @RegisterExtension final EngineHarness h = new EngineHarness();

  @Test
  void segmentsAreNumberedAcrossTheTurnAndTheirRangesPointIntoTheirRoundsContent() throws Exception {
    Tool quick = Tool.builder("quick").description("Answers.").handler(args -> "42").build();
    h.engine(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(quick)).build());
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "quick", "{}").build(),
        ElectronReply.text("The answer is 42, as computed. Anything else I can do, today?"));

    List<AgentEvent> events = h.start("compute").finish();

    List<AgentEvent.SpeechReady> speech = events.stream().filter(AgentEvent.SpeechReady.class::isInstance)
        .map(AgentEvent.SpeechReady.class::cast).toList();
    assertTrue(speech.size() >= 3, speech.toString());
    for (int i = 0; i < speech.size(); i++) assertEquals(i, speech.get(i).sequence(), "numbered from 0 in order");
    AgentEvent.SpeechReady filler = speech.getFirst();
    assertEquals(SpeechKind.FILLER, filler.kind());
    assertEquals(-1, filler.charStart());
    assertEquals(-1, filler.charEnd());

    JsonNode messages = h.emulator.requests().get(1).json().get("messages");
    assertTrue(messages.get(2).get("content").isNull(), "the filler is not the model's content");
    String content = "The answer is 42, as computed. Anything else I can do, today?";
    long secondGeneration = speech.get(1).generation();
    for (AgentEvent.SpeechReady s : speech.subList(1, speech.size())) {
      assertEquals(SpeechKind.REPLY, s.kind());
      assertEquals(secondGeneration, s.generation());
      assertEquals(s.text(), content.substring(s.charStart(), s.charEnd()), s.toString());
    }
    assertEquals(0, speech.get(1).charStart(), "ranges count from the start of the generation's own content");
    assertEquals(content.length(), speech.getLast().charEnd());
  }

  @Test
  void theFirstTokenOfEachRequestIsReportedOnceBeforeWhatItStarts() throws Exception {
    Tool quick = Tool.builder("quick").description("Answers.").handler(args -> "42").build();
    h.engine(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(quick)).filler(null).build());
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "quick", "{}").build(),
        ElectronReply.text("It is 42."));

    List<AgentEvent> events = h.start("compute").finish();

    List<AgentEvent.FirstTokenReceived> first = events.stream()
        .filter(AgentEvent.FirstTokenReceived.class::isInstance).map(AgentEvent.FirstTokenReceived.class::cast)
        .toList();
    assertEquals(2, first.size(), "one per request: " + events);
    assertTrue(first.getFirst().generation() < first.getLast().generation());
    assertTrue(first.stream().allMatch(f -> f.latencyNanos() >= 0));
    int tool = indexOf(events, AgentEvent.ToolCallStarted.class);
    int speech = indexOf(events, AgentEvent.SpeechReady.class);
    assertTrue(events.indexOf(first.getFirst()) < tool, "before the tool call it started: " + events);
    assertTrue(tool < events.indexOf(first.getLast()) && events.indexOf(first.getLast()) < speech,
        "the second request's first token before its text: " + events);
  }

  private static int indexOf(List<AgentEvent> events, Class<? extends AgentEvent> type) {
    for (int i = 0; i < events.size(); i++) if (type.isInstance(events.get(i))) return i;
    return -1;
  }
}
