package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import voiceagent.common.VertxClock;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.ChatMessage;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** The side-effect rule on barge-in, and user code kept off the event loop. Latches only, no sleeps. */
class TurnSideEffectsTest {
  @RegisterExtension final EngineHarness h = new EngineHarness();

  /** Waits for the tool body's own release; records an interrupt instead of swallowing it. */
  private static String await(CountDownLatch release, AtomicBoolean interrupted, String result) {
    try {
      release.await(10, TimeUnit.SECONDS);
      return result;
    } catch (InterruptedException e) {
      interrupted.set(true);
      return "interrupted";
    }
  }

  private static AgentConfig config(Tool... tools) {
    return AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(tools)).filler(null).build();
  }

  private List<ChatMessage> history() throws Exception {
    return h.onLoop(() -> h.engine.history());
  }

  @Test
  void aSideEffectingCallNotStartedWhenItsTurnIsInterruptedNeverStarts() throws Exception {
    AtomicBoolean charged = new AtomicBoolean();
    Tool charge = Tool.builder("charge").description("Charges a card.").sideEffects(true).handler(args -> {
      charged.set(true);
      return "charged";
    }).build();
    GatedExecutor gate = new GatedExecutor();
    h.engine(config(charge), VertxClock.INSTANCE, gate);
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_c", "charge", "{}").argumentsWhole()
        .stallAfterChunks(1).build());

    EngineHarness.Turn t = h.start("charge my card");
    gate.runNext(); // the round's system prompt
    t.next(AgentEvent.ToolCallStarted.class); // accepted; its body is held back: pending
    h.run(h.engine::interruptTurn);
    assertEquals("interrupted", t.next(AgentEvent.TurnFinished.class).outcome());
    gate.runNext(); // the call's task gets its thread only now

    assertFalse(charged.get(), "the pending side-effecting call never started");
    h.run(() -> h.engine.commitHeard(t.number, 0));
    assertEquals(List.of(ChatMessage.user("charge my card")), history(), "a call that never ran is not in history");
  }

  @Test
  void aStartedSideEffectingCallRunsOnAfterABargeInAndTheNextRequestCarriesItsResult() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Tool book = Tool.builder("book").description("Books a slot.").sideEffects(true).handler(args -> {
      running.countDown();
      return await(release, interrupted, "booked for 3 pm");
    }).build();
    h.engine(config(book));
    h.emulator.enqueue(ElectronReply.builder().contentFragments("Booking it now. ")
        .toolCall("call_b", "book", "{}").argumentsWhole().stallAfterChunks(2).build());

    EngineHarness.Turn t = h.start("book me in");
    assertTrue(running.await(10, TimeUnit.SECONDS));
    h.run(h.engine::interruptTurn);
    assertEquals("interrupted", t.next(AgentEvent.TurnFinished.class).outcome());
    h.run(() -> h.engine.commitHeard(t.number, "Booking".length()));
    assertEquals(List.of(ChatMessage.user("book me in")), history(), "written only once the booking has its result");

    h.emulator.enqueue(ElectronReply.text("You are booked."));
    EngineHarness.Turn next = h.start("thanks");
    assertEquals(List.of(ChatMessage.user("book me in")), history(), "the next turn waits: its user message too");
    release.countDown();
    assertEquals("answered", next.next(AgentEvent.TurnFinished.class).outcome());

    assertFalse(interrupted.get(), "a started side-effecting call is never interrupted");
    List<JsonNode> sent = h.lastRequestMessages();
    int n = sent.size();
    assertEquals("Booking", sent.get(n - 3).get("content").asText(), "cut to what was heard");
    assertEquals("call_b", sent.get(n - 3).get("tool_calls").get(0).get("id").asText());
    assertEquals("booked for 3 pm", sent.get(n - 2).get("content").asText(), "the model learns what happened");
    assertEquals("thanks", sent.get(n - 1).get("content").asText());
  }

  @Test
  void aRunningReadOnlyCallIsInterruptedAndItsResultDropped() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    Tool search = Tool.builder("search").description("Searches.").handler(args -> {
      running.countDown();
      try {
        return await(new CountDownLatch(1), interrupted, "found");
      } finally {
        ended.countDown();
      }
    }).build();
    h.engine(config(search));
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_s", "search", "{}").argumentsWhole()
        .stallAfterChunks(1).build());

    EngineHarness.Turn t = h.start("search it");
    assertTrue(running.await(10, TimeUnit.SECONDS));
    h.run(h.engine::interruptTurn);
    assertEquals("interrupted", t.next(AgentEvent.TurnFinished.class).outcome());
    assertTrue(ended.await(10, TimeUnit.SECONDS));
    assertTrue(interrupted.get(), "the read-only call's thread was interrupted");
    h.run(() -> h.engine.commitHeard(t.number, 0));
    assertEquals(List.of(ChatMessage.user("search it")), history(), "its late result is dropped");
  }

  @Test
  void aToolThatBlocksInItsFactoryStallsNeitherTheLoopNorAnotherCall() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Tool stuck = Tool.builder("stuck").description("Blocks before returning its Mono.")
        .monoHandler(args -> Mono.just(await(release, interrupted, "late"))).build();
    Tool quick = Tool.builder("quick").description("Answers at once.")
        .asyncHandler(args -> CompletableFuture.completedFuture("quick result")).build();
    h.engine(config(stuck, quick));
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_s", "stuck", "{}").toolCall("call_q", "quick", "{}")
        .build(), ElectronReply.text("Both answered."));

    EngineHarness.Turn t = h.start("run both");
    AgentEvent.ToolCallFinished first = t.next(AgentEvent.ToolCallFinished.class);
    assertEquals("quick", first.name(), "the other call finished while the factory still blocked");
    h.run(() -> { }); // the loop answers meanwhile (and the blocked-thread checker stays silent)
    release.countDown();
    assertEquals("answered", t.next(AgentEvent.TurnFinished.class).outcome());
    assertFalse(interrupted.get());
  }

  @Test
  void theSystemPromptSupplierIsCalledOffTheEventLoop() throws Exception {
    LinkedBlockingQueue<Thread> calledOn = new LinkedBlockingQueue<>();
    h.engine(AgentConfig.builder(() -> {
      calledOn.add(Thread.currentThread());
      return "You are a test agent.";
    }).build());
    h.emulator.enqueue(ElectronReply.text("Hello."));
    assertEquals("answered", h.start("hi").next(AgentEvent.TurnFinished.class).outcome());
    Thread thread = calledOn.poll(10, TimeUnit.SECONDS);
    assertTrue(thread != null && thread.isVirtual(), "called on " + thread);
  }
}
