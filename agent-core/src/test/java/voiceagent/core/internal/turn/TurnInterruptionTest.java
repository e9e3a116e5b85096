package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.ChatMessage;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.RecordedRequest;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** Two-phase interruption: generation stops at once, the history gets what the caller heard, when that is known. */
class TurnInterruptionTest {
  @RegisterExtension final EngineHarness h = new EngineHarness();

  /** Speaks "The first sentence is here." and holds "The second one follows" unfinished, then the stream stalls. */
  private static final ElectronReply STALLS_MID_ANSWER = ElectronReply.builder()
      .contentFragments("The first sentence is here. ", "The second one ", "follows").stallAfterChunks(3).build();

  private static AgentConfig config() {
    return AgentConfig.builder("You are a test agent.").build();
  }

  /** Starts a turn whose answer stalls after its first segment; returns it once that segment was reported. */
  private EngineHarness.Turn stalledTurn(String text) throws Exception {
    h.emulator.enqueue(STALLS_MID_ANSWER);
    EngineHarness.Turn t = h.start(text);
    assertEquals("The first sentence is here.", t.next(AgentEvent.SpeechReady.class).text());
    return t;
  }

  private List<ChatMessage> history() throws Exception {
    return h.onLoop(() -> h.engine.history());
  }

  @Test
  void interruptionStopsTheStreamAtOnceAndWritesNothingUntilTheHeardLengthIsCommitted() throws Exception {
    h.engine(config());
    EngineHarness.Turn t = stalledTurn("tell me two things");

    h.run(h.engine::interruptTurn);
    AgentEvent.TurnFinished done = t.next(AgentEvent.TurnFinished.class);
    assertEquals("interrupted", done.outcome());
    assertTrue(t.all(AgentEvent.TurnFailed.class).isEmpty());
    RecordedRequest request = h.emulator.requests().getFirst();
    assertTrue(h.emulator.awaitFinished(request.requestId(), 10, TimeUnit.SECONDS).cancelledByClient(),
        "the Electron stream was closed");
    assertEquals(List.of(ChatMessage.user("tell me two things")), history(), "nothing of the cut round yet");

    h.run(() -> h.engine.commitHeard(t.number, "The first".length()));
    assertEquals(List.of(ChatMessage.user("tell me two things"), ChatMessage.assistant("The first", List.of())),
        history());
    assertTrue(t.queue.isEmpty(), "nothing is reported after TurnFinished");
  }

  @Test
  void nothingHeardWritesNoTextButKeepsTheToolCallsThatFinished() throws Exception {
    Tool lookup = Tool.builder("lookup").description("Looks up.").handler(args -> "found it").build();
    h.engine(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(lookup)).filler(null).build());
    // Text, then a call; the stream stalls before it finishes, so the round waits for its end.
    h.emulator.enqueue(ElectronReply.builder().text("Checking now.").toolCall("call_1", "lookup", "{}")
        .argumentsWhole().stallAfterChunks(3).build());
    EngineHarness.Turn t = h.start("look it up");
    t.next(AgentEvent.ToolCallFinished.class);

    h.run(h.engine::interruptTurn);
    assertEquals("interrupted", t.next(AgentEvent.TurnFinished.class).outcome());
    h.run(() -> h.engine.commitHeard(t.number, 0));

    List<ChatMessage> history = history();
    assertEquals(3, history.size(), history.toString());
    ChatMessage assistant = history.get(1);
    assertNull(assistant.content(), "nothing was heard");
    assertEquals("call_1", assistant.toolCalls().getFirst().id());
    assertEquals(ChatMessage.tool("call_1", "found it"), history.get(2));
  }

  @Test
  void aNewTurnBeforeTheHeardLengthCommitsEverythingSpokenAndALateCommitIsIgnored() throws Exception {
    h.engine(config());
    EngineHarness.Turn first = stalledTurn("first question");
    h.run(h.engine::interruptTurn);
    first.next(AgentEvent.TurnFinished.class);

    h.emulator.enqueue(ElectronReply.text("Second answer."));
    EngineHarness.Turn second = h.start("second question");
    assertEquals("answered", second.next(AgentEvent.TurnFinished.class).outcome());
    h.run(() -> h.engine.commitHeard(first.number, 3));

    List<JsonNode> sent = h.lastRequestMessages();
    assertEquals("The first sentence is here.", sent.get(sent.size() - 2).get("content").asText(),
        "everything spoken, but not the unspoken rest of the buffer");
    assertEquals("second question", sent.getLast().get("content").asText());
    assertEquals("The first sentence is here.", history().get(1).content(), "the late commit changed nothing");
  }

  @Test
  void cancelTurnEndsAsCancelledAndKeepsEverythingSpoken() throws Exception {
    h.engine(config());
    EngineHarness.Turn t = stalledTurn("question");
    h.run(h.engine::cancelTurn);
    assertEquals("cancelled", t.next(AgentEvent.TurnFinished.class).outcome());
    assertEquals(List.of(ChatMessage.user("question"), ChatMessage.assistant("The first sentence is here.", List.of())),
        history());
  }

  @Test
  void commitHeardCutsAFinishedAnswerWhileItIsStillTheLastMessage() throws Exception {
    h.engine(config());
    h.emulator.enqueue(ElectronReply.text("It is sunny today. Tomorrow it rains."));
    EngineHarness.Turn t = h.start("weather?");
    assertEquals("answered", t.next(AgentEvent.TurnFinished.class).outcome());

    h.run(h.engine::interruptTurn); // the answer is still playing: nothing runs, nothing to stop
    h.run(() -> h.engine.commitHeard(t.number, "It is sunny today.".length()));
    assertEquals(ChatMessage.assistant("It is sunny today.", List.of()), history().getLast());

    h.run(() -> h.engine.appendAssistant("Are you still there?"));
    h.run(() -> h.engine.commitHeard(t.number, 2));
    assertEquals("It is sunny today.", history().get(1).content(), "no longer the last message: not cut again");
  }

  @Test
  void appendAssistantGoesInAtOnceWhenIdleAndAfterTheRunningTurnsMessages() throws Exception {
    h.engine(config());
    h.run(() -> h.engine.appendAssistant("Hello, this is the clinic."));
    assertEquals(List.of(ChatMessage.assistant("Hello, this is the clinic.", List.of())), history());

    EngineHarness.Turn t = stalledTurn("book me in");
    h.run(() -> h.engine.appendAssistant("Are you still there?"));
    assertEquals(2, history().size(), "not between the turn's user message and its answer");
    h.run(h.engine::cancelTurn);
    t.next(AgentEvent.TurnFinished.class);

    assertEquals(List.of(ChatMessage.assistant("Hello, this is the clinic.", List.of()), ChatMessage.user("book me in"),
        ChatMessage.assistant("The first sentence is here.", List.of()),
        ChatMessage.assistant("Are you still there?", List.of())), history());
  }

  @Test
  void cancellingWithoutARunningTurnIsANoOpAndBlankTextStartsNothing() throws Exception {
    h.engine(config());
    h.run(h.engine::cancelTurn);
    h.run(h.engine::interruptTurn);
    assertEquals(0, (int) h.onLoop(() -> h.engine.startTurn("  \n", e -> { })));
    h.emulator.enqueue(ElectronReply.text("Hi."));
    EngineHarness.Turn t = h.start("hello");
    assertEquals(1, t.number);
    assertEquals("answered", t.next(AgentEvent.TurnFinished.class).outcome());
    assertEquals(1, h.emulator.requests().size(), "the blank text was never sent");
  }
}
