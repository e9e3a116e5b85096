package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.AgentHarness.only;
import static voiceagent.core.AgentHarness.spoken;
import static voiceagent.core.AgentHarness.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.RecordedRequest;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** The core loop against the Electron emulator: speak at once, tools in parallel while speaking, resume, bounded. */
class TurnEngineTest {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  record Query(String q) {}

  record Step(int n) {}

  record City(String city) {}

  /**
   * A tool that returns only once every tool sharing {@code allRunning} has started: run one after the other, the
   * first would wait alone and answer "alone".
   */
  private static Tool together(String name, CountDownLatch allRunning) {
    return Tool.builder(name).description("Works alongside another.").handler(args -> {
      allRunning.countDown();
      try {
        return allRunning.await(10, TimeUnit.SECONDS) ? "{\"done\":\"" + name + "\"}" : "alone";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }).build();
  }

  @Test
  void twoSlowToolsRunInParallelAndTheTurnResumesWithTheirResultsInCallOrder() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.")
        .tools(ToolRegistry.of(together("slow_a", bothRunning), together("slow_b", bothRunning))).build());
    h.emulator.enqueue(ElectronReply.builder().text("Let me check.").toolCall("call_a", "slow_a", "{}")
            .toolCall("call_b", "slow_b", "{}").fragmentArguments(2).finishReason("tool_calls").build(),
        ElectronReply.text("Both are done."));

    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "run both");

    assertEquals("Let me check. Both are done.", spoken(events, SpeechKind.REPLY));
    assertEquals("", spoken(events, SpeechKind.FILLER), "the model spoke before its tools: no filler");
    AgentEvent.TurnFinished done = assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast());
    assertEquals("answered", done.outcome());
    assertEquals(2, done.rounds());

    JsonNode messages = h.emulator.requests().get(1).json().get("messages");
    int n = messages.size();
    JsonNode assistant = messages.get(n - 3);
    assertEquals("assistant", assistant.get("role").asText());
    assertEquals("Let me check.", assistant.get("content").asText(), "exactly the spoken content");
    assertEquals(List.of("call_a", "call_b"), assistant.get("tool_calls").findValuesAsText("id"));
    assertEquals("call_a", messages.get(n - 2).get("tool_call_id").asText(), "results in tool_calls order");
    assertEquals("{\"done\":\"slow_a\"}", messages.get(n - 2).get("content").asText(), "ran alongside slow_b");
    assertEquals("call_b", messages.get(n - 1).get("tool_call_id").asText());
    assertEquals("{\"done\":\"slow_b\"}", messages.get(n - 1).get("content").asText(), "ran alongside slow_a");
  }

  @Test
  void aToolStartsBeforeTheStreamsFinishReason() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Tool lookup = Tool.builder("lookup").description("Looks a thing up.").parameters(Query.class).handler(args -> {
      started.countDown();
      return "found";
    }).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(lookup)).build());
    // The stream stalls right after the call's arguments: its finish_reason never arrives.
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "lookup", "{\"q\":\"x\"}").argumentsWhole()
        .stallAfterChunks(2).build());
    Conversation c = AgentHarness.conversation(agent);
    var subscription = c.send("look it up").subscribe();
    assertTrue(started.await(10, TimeUnit.SECONDS), "the tool ran while the stream was still open");
    subscription.dispose();
  }

  @Test
  void fillerIsSpokenAtOnceWhenARoundCallsToolsSilently() throws Exception {
    Tool quick = Tool.builder("quick").description("Answers at once.").handler(args -> "42").build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(quick)).build());
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "quick", "{}").finishReason("tool_calls").build(),
        ElectronReply.text("The answer is 42."));
    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "answer?");
    List<AgentEvent.SpeechReady> speech = only(events, AgentEvent.SpeechReady.class);
    assertEquals(SpeechKind.FILLER, speech.get(0).kind());
    assertEquals("Let me check that for you.", speech.get(0).text());
    int filler = events.indexOf(speech.get(0));
    int started = events.indexOf(only(events, AgentEvent.ToolCallStarted.class).get(0));
    assertTrue(filler < started, "filler first, then the tool, in the same moment");
    assertEquals("The answer is 42.", spoken(events, SpeechKind.REPLY));
    JsonNode assistant = h.emulator.requests().get(1).json().get("messages").get(2);
    assertTrue(assistant.get("content").isNull(), "the runtime's filler is not the model's content");
  }

  @Test
  void roundsStopAtTheBoundAndTheLastRequestForbidsTools() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Tool step = Tool.builder("step").description("Takes a step.").parameters(Step.class).handler(args -> "step " + calls.incrementAndGet())
        .build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(step)).maxToolRounds(2)
        .build());
    AtomicInteger n = new AtomicInteger();
    h.emulator.responder(req -> "none".equals(req.json().path("tool_choice").asText())
        ? ElectronReply.text("Here is where I got to.")
        : ElectronReply.builder().toolCall("call_" + n.incrementAndGet(), "step", "{\"n\":" + n.get() + "}")
            .finishReason("tool_calls").build());

    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "keep going");

    List<RecordedRequest> requests = h.emulator.requests();
    assertEquals(3, requests.size());
    assertEquals("none", requests.get(2).json().path("tool_choice").asText());
    assertEquals(2, calls.get());
    AgentEvent.TurnFinished done = assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast());
    assertEquals("max_rounds", done.outcome());
    assertEquals("Here is where I got to.", spoken(events, SpeechKind.REPLY));
  }

  @Test
  void theSameCallTwiceInATurnIsALoopThatIsStoppedAndAnswered() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool weather = Tool.builder("get_weather").description("Weather for a city.").parameters(City.class).handler(args -> {
      runs.incrementAndGet();
      return "sunny";
    }).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(weather)).build());
    h.emulator.enqueue(
        ElectronReply.builder().toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}").finishReason("tool_calls").build(),
        ElectronReply.builder().toolCall("call_2", "get_weather", "{ \"city\" : \"Paris\" }").finishReason("tool_calls").build(),
        ElectronReply.text("It is sunny in Paris."));

    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "weather in Paris");

    assertEquals(1, runs.get(), "the repeated call never ran");
    assertEquals("loop", only(events, AgentEvent.ToolCallSkipped.class).get(0).reason());
    assertEquals("none", h.emulator.requests().get(2).json().path("tool_choice").asText());
    JsonNode last = h.emulator.requests().get(2).json().get("messages");
    assertEquals("call_2", last.get(last.size() - 1).get("tool_call_id").asText());
    assertTrue(last.get(last.size() - 1).get("content").asText().contains("already made"));
    AgentEvent.TurnFinished done = assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast());
    assertEquals("loop", done.outcome());
    assertEquals("It is sunny in Paris.", done.spokenText());
  }

  @Test
  void aCallWhoseArgumentsFailTheSchemaIsReportedStartedBeforeItsErrorResult() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool t = Tool.builder("act").description("Acts.").parameters(Step.class).handler(args -> runs.incrementAndGet()).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(t)).build());
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "act", "{\"n\":\"not a number\"}")
        .finishReason("tool_calls").build(), ElectronReply.text("I could not do that."));
    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "act");
    assertEquals(0, runs.get(), "arguments that fail the schema never reach the handler");
    List<AgentEvent> calls = events.stream()
        .filter(e -> e instanceof AgentEvent.ToolCallStarted || e instanceof AgentEvent.ToolCallFinished).toList();
    assertEquals(2, calls.size());
    assertInstanceOf(AgentEvent.ToolCallStarted.class, calls.get(0));
    assertTrue(assertInstanceOf(AgentEvent.ToolCallFinished.class, calls.get(1)).error());
  }

  @Test
  void zeroToolRoundsReportsCallsWithoutRunningThem() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool t = Tool.builder("act").description("Acts.").parameters(Step.class).handler(args -> runs.incrementAndGet()).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(t)).maxToolRounds(0)
        .fallback(null).build());
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "act", "{\"n\":1}").finishReason("tool_calls").build());
    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "act");
    assertEquals(0, runs.get());
    AgentEvent.ToolCallSkipped skipped = only(events, AgentEvent.ToolCallSkipped.class).get(0);
    assertEquals("reported", skipped.reason());
    assertEquals("{\"n\":1}", skipped.arguments().toString());
    assertEquals(1, h.emulator.requests().size());
    assertEquals("reported", assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast()).outcome());
  }

  @Test
  void aFailedRequestSpeaksTheFallbackAndTheConversationGoesOn() throws Exception {
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").build());
    Conversation c = AgentHarness.conversation(agent);
    h.emulator.enqueue(ElectronReply.status(400), ElectronReply.text("Fine now."));
    List<AgentEvent> failed = turn(c, "first");
    assertEquals("Sorry, I ran into a problem. Could you say that again?", spoken(failed, SpeechKind.FALLBACK));
    assertEquals(400, only(failed, AgentEvent.TurnFailed.class).get(0).error().status());
    assertEquals("failed", assertInstanceOf(AgentEvent.TurnFinished.class, failed.getLast()).outcome());
    List<AgentEvent> next = turn(c, "second");
    assertEquals("Fine now.", spoken(next, SpeechKind.REPLY));
  }
}
