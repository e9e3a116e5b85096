package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.AgentHarness.only;
import static voiceagent.core.AgentHarness.spoken;
import static voiceagent.core.AgentHarness.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.common.ErrorKind;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** Turns against servers that answer in the field's odd ways: what is spoken and what history keeps. */
class TurnServerQuirksTest {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void harmonyMarkupIsNeitherSpokenNorKeptInHistory() throws Exception {
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").build());
    Conversation c = AgentHarness.conversation(agent);
    h.emulator.enqueue(ElectronReply.builder().harmony("The user greets me. I should greet back briefly.")
        .text("Hello! How can I help?").build(), ElectronReply.text("Sure."));

    List<AgentEvent> events = turn(c, "hi");
    turn(c, "thanks");

    assertEquals("Hello! How can I help?", spoken(events, SpeechKind.REPLY));
    JsonNode messages = h.emulator.requests().get(1).json().get("messages");
    JsonNode assistant = messages.get(messages.size() - 2);
    assertEquals("assistant", assistant.get("role").asText());
    assertEquals("Hello! How can I help?", assistant.get("content").asText(), "only the final channel is history");
    assertFalse(messages.toString().contains("<|") || messages.toString().contains("greet back"), messages.toString());
  }

  @Test
  void aWholeNonStreamedCompletionIsOneReplyWithItsToolCall() throws Exception {
    Tool weather = Tool.builder("get_weather").description("Weather.").handler(args -> "sunny").build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(weather)).build());
    h.emulator.enqueue(ElectronReply.builder().text("Let me look.").toolCall("call_1", "get_weather", "{}")
        .ignoreStream().build(), ElectronReply.builder().text("It is sunny.").ignoreStream().build());

    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "weather?");

    assertEquals("Let me look. It is sunny.", spoken(events, SpeechKind.REPLY));
    assertEquals(List.of("get_weather"),
        only(events, AgentEvent.ToolCallFinished.class).stream().map(AgentEvent.ToolCallFinished::name).toList());
    assertEquals("answered", assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast()).outcome());
    assertTrue(only(events, AgentEvent.UsageRecorded.class).size() == 2, "usage of both whole replies");
  }

  @Test
  void anHtmlPageFailsTheTurnOnceWithWhatItIs() throws Exception {
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").build());
    h.emulator.enqueue(ElectronReply.status(200, "<html><body>Login required</body></html>",
        Map.of("Content-Type", "text/html")));

    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "hello");

    AgentEvent.TurnFailed failed = only(events, AgentEvent.TurnFailed.class).getFirst();
    assertEquals(ErrorKind.PROTOCOL, failed.error().kind());
    assertFalse(failed.error().retriable());
    assertTrue(failed.error().getMessage().contains("expected text/event-stream, got text/html"),
        failed.error().getMessage());
    assertEquals(1, h.emulator.requests().size(), "not retried");
    assertEquals("failed", assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast()).outcome());
  }
}
