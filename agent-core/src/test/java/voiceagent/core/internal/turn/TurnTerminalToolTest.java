package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.common.VertxClock;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.ChatMessage;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/**
 * Terminal calls under a gate: reported at once, run only when the engine's owner releases them, never when their
 * turn was stopped first. Tool tasks are held by a {@link GatedExecutor}, so "not run" is exact, not a race.
 */
class TurnTerminalToolTest {
  @RegisterExtension final EngineHarness h = new EngineHarness();

  private final AtomicBoolean transferred = new AtomicBoolean();
  private final GatedExecutor threads = new GatedExecutor();
  private final LinkedBlockingQueue<String> held = new LinkedBlockingQueue<>();

  /** An engine with a terminal transfer tool whose gate records each held call as {@code turn/callId/tool}. */
  private void engine() throws Exception {
    Tool transfer = Tool.builder("transfer_call").description("Transfers the call.").terminal().handler(args -> {
      transferred.set(true);
      return "transferred";
    }).build();
    h.engine(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(transfer)).filler(null).build(),
        VertxClock.INSTANCE, threads);
    h.run(() -> h.engine.terminalGate((turn, callId, tool) -> held.add(turn + "/" + callId + "/" + tool)));
    h.emulator.enqueue(ElectronReply.builder().text("Transferring you now.").toolCall("call_t", "transfer_call", "{}")
        .finishReason("tool_calls").build(), ElectronReply.text("You are through."));
  }

  /** Starts the turn and waits until its terminal call is held. */
  private EngineHarness.Turn startUntilHeld() throws Exception {
    EngineHarness.Turn t = h.start("put me through to billing");
    threads.runNext(); // the round's system prompt
    t.next(AgentEvent.ToolCallStarted.class);
    assertEquals(t.number + "/call_t/transfer_call", held.poll(10, TimeUnit.SECONDS));
    assertEquals("Transferring you now.", t.all(AgentEvent.SpeechReady.class).getFirst().text(),
        "the speech before the call was reported before it");
    return t;
  }

  @Test
  void aHeldTerminalCallRunsOnlyWhenReleasedAndItsRoundWaitsForItsResult() throws Exception {
    engine();
    EngineHarness.Turn t = startUntilHeld();
    assertTrue(threads.idle(), "held: no task was submitted for it");

    h.run(() -> h.engine.releaseTerminal(t.number, "call_t"));
    threads.runNext(); // the tool's task, submitted by the release
    assertTrue(transferred.get());
    assertEquals("transferred", t.next(AgentEvent.ToolCallFinished.class).result());
    threads.runNext(); // the next round's system prompt, once the round had its result
    assertEquals(1, t.next(AgentEvent.RoundFinished.class).round());
    assertEquals("answered", t.next(AgentEvent.TurnFinished.class).outcome());
    assertEquals(List.of(ChatMessage.user("put me through to billing"),
        ChatMessage.assistant("Transferring you now.", List.of(new ChatMessage.ToolCallRef("call_t", "transfer_call",
            "{}"))), ChatMessage.tool("call_t", "transferred"), ChatMessage.assistant("You are through.", List.of())),
        h.onLoop(() -> h.engine.history()));
  }

  @Test
  void aHeldTerminalCallOfAnInterruptedTurnNeverRunsAndLeavesNoToolCallInHistory() throws Exception {
    engine();
    EngineHarness.Turn t = startUntilHeld();
    h.run(h.engine::interruptTurn);
    assertEquals("interrupted", t.next(AgentEvent.TurnFinished.class).outcome());
    h.run(() -> h.engine.releaseTerminal(t.number, "call_t")); // a late release finds nothing held

    assertTrue(threads.idle(), "the held call was never submitted");
    assertFalse(transferred.get());
    h.run(() -> h.engine.commitHeard(t.number, "Transferring".length()));
    assertEquals(List.of(ChatMessage.user("put me through to billing"), ChatMessage.assistant("Transferring", List.of())),
        h.onLoop(() -> h.engine.history()), "the heard words, without the call that never ran");
  }
}
