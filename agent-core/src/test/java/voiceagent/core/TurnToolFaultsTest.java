package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.AgentHarness.only;
import static voiceagent.core.AgentHarness.spoken;
import static voiceagent.core.AgentHarness.turn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.testkit.ManualClock;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.ElectronReplyBuilder;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;
import voiceagent.tools.WebhookTools;

/** Tools that fail, hang or get cancelled never break a turn. */
class TurnToolFaultsTest {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  /** A tool body's own blocking work: waits for the latch (or an interrupt). */
  private static void block(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void webhookToolsThatTimeOutOrAnswer500GiveErrorResultsAndTheTurnEndsWithSpeech() throws Exception {
    CountDownLatch slowCalled = new CountDownLatch(1);
    HttpServer server = AgentHarness.await(h.vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/broken")) req.response().setStatusCode(500).end("database down");
      else slowCalled.countDown(); // "/slow" never answers: the tool's timeout must end it
    }).listen(0, "127.0.0.1"));
    String base = "http://127.0.0.1:" + server.actualPort();
    // A timeout far beyond the test's run: only the manual clock can end the call, never the wall clock.
    JsonNode spec = new ObjectMapper().readTree("""
        [{"name":"broken","description":"Fails.","parameters":{"type":"object","properties":{}},"url":"%s/broken"},
         {"name":"slow","description":"Hangs.","parameters":{"type":"object","properties":{}},"url":"%s/slow",
          "timeout_ms":600000}]""".formatted(base, base));
    List<Tool> tools = WebhookTools.fromJson(spec, h.vertx, Map.of());
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(tools)).build());
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "broken", "{}").toolCall("call_2", "slow", "{}")
        .finishReason("tool_calls").build(), ElectronReply.text("Sorry, both systems are down right now."));

    CountDownLatch brokenAnswered = new CountDownLatch(1);
    var pending = AgentHarness.conversation(agent).send("check both")
        .doOnNext(e -> {
          if (e instanceof AgentEvent.ToolCallFinished f && f.name().equals("broken")) brokenAnswered.countDown();
        }).collectList().toFuture();
    assertTrue(slowCalled.await(10, TimeUnit.SECONDS), "the slow webhook was called");
    // The 500 must be in before virtual time jumps, or the jump would time the broken call out too.
    assertTrue(brokenAnswered.await(10, TimeUnit.SECONDS), "the broken webhook's answer arrived");
    h.clock.awaitScheduled(600_000, 10_000);
    h.clock.advance(600_000);
    List<AgentEvent> events = pending.get(20, TimeUnit.SECONDS);

    List<AgentEvent.ToolCallFinished> results = only(events, AgentEvent.ToolCallFinished.class);
    assertEquals(2, results.size());
    assertTrue(results.stream().allMatch(AgentEvent.ToolCallFinished::error));
    JsonNode messages = h.emulator.requests().get(1).json().get("messages");
    String broken = messages.get(messages.size() - 2).get("content").asText();
    String slow = messages.get(messages.size() - 1).get("content").asText();
    assertTrue(broken.contains("500"), broken);
    assertTrue(slow.contains("timed out after 600000 ms"), slow);
    assertEquals("Sorry, both systems are down right now.", spoken(events, SpeechKind.REPLY));
    assertEquals("answered", assertInstanceOf(AgentEvent.TurnFinished.class, events.getLast()).outcome());
  }

  @Test
  void escalationLineIsSpokenWhenToolsStillRunAfterTheDelay() throws Exception {
    ManualClock clock = new ManualClock();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    Tool slow = Tool.builder("slow").description("Takes long.").handler(args -> {
      running.countDown();
      block(release, 20);
      return "done";
    }).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(slow)).build(), clock);
    h.emulator.enqueue(ElectronReply.builder().toolCall("call_1", "slow", "{}").finishReason("tool_calls").build(),
        ElectronReply.text("All done."));
    LinkedBlockingQueue<AgentEvent> events = new LinkedBlockingQueue<>();
    AgentHarness.conversation(agent).send("go").subscribe(events::add);

    assertTrue(running.await(10, TimeUnit.SECONDS));
    clock.awaitPending(2, 10_000); // the tool's own timeout and the escalation timer
    clock.advance(2000);
    AgentEvent e;
    do {
      e = events.poll(10, TimeUnit.SECONDS);
    } while (e != null && !(e instanceof AgentEvent.SpeechReady s && s.kind() == SpeechKind.ESCALATION));
    assertEquals("Still working on it, one moment.", assertInstanceOf(AgentEvent.SpeechReady.class, e).text());
    release.countDown();
    do {
      e = events.poll(10, TimeUnit.SECONDS);
    } while (e != null && !(e instanceof AgentEvent.TurnFinished));
    assertEquals("answered", assertInstanceOf(AgentEvent.TurnFinished.class, e).outcome());
  }

  /** Three calls in three chunks: fast and slow complete in their chunk; charge (no arguments) at the end. */
  private static ElectronReplyBuilder chargeStream() {
    return ElectronReply.builder().toolCall("call_f", "fast", "{}").toolCall("call_s", "slow", "{}")
        .toolCall("call_c", "charge", "").argumentsWhole();
  }

  @Test
  void chargeCallOfTheSameStreamRunsWhenTheTurnIsNotCancelled() throws Exception {
    CountDownLatch charged = new CountDownLatch(1);
    Tool fast = Tool.builder("fast").description("Quick.").handler(args -> "fast result").build();
    Tool slow = Tool.builder("slow").description("Not slow here.").handler(args -> "slow result").build();
    Tool charge = Tool.builder("charge").description("Charges a card.").sideEffects(true).handler(args -> {
      charged.countDown();
      return "charged";
    }).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.")
        .tools(ToolRegistry.of(fast, slow, charge)).build());
    h.emulator.enqueue(chargeStream().build(), ElectronReply.text("Done."));
    List<AgentEvent> events = turn(AgentHarness.conversation(agent), "do it all");
    assertTrue(charged.await(10, TimeUnit.SECONDS), "the streamed charge call runs when its stream ends");
    assertEquals(List.of("fast", "slow", "charge"),
        only(events, AgentEvent.ToolCallStarted.class).stream().map(AgentEvent.ToolCallStarted::name).toList());
  }

  @Test
  void cancellingDuringToolsStopsThemKeepsFinishedResultsAndTheNextTurnWorks() throws Exception {
    AtomicBoolean sideEffectRan = new AtomicBoolean();
    CountDownLatch fastDone = new CountDownLatch(1);
    CountDownLatch slowRunning = new CountDownLatch(1);
    Tool fast = Tool.builder("fast").description("Quick.").handler(args -> {
      fastDone.countDown();
      return "fast result";
    }).build();
    Tool slow = Tool.builder("slow").description("Slow.").handler(args -> {
      slowRunning.countDown();
      block(new CountDownLatch(1), 30); // blocks until interrupted by the cancel
      return "never";
    }).build();
    Tool charge = Tool.builder("charge").description("Charges a card.").sideEffects(true).handler(args -> {
      sideEffectRan.set(true);
      return "charged";
    }).build();
    Agent agent = h.agent(AgentConfig.builder("You are a test agent.")
        .tools(ToolRegistry.of(fast, slow, charge)).build());
    // Fast and slow start at once. The charge call is streamed too, but a parameterless call is complete only when
    // the stream ends (see chargeCallOfTheSameStreamRunsWhenTheTurnIsNotCancelled): the turn is cancelled first.
    h.emulator.enqueue(chargeStream().stallAfterChunks(3).build());
    Conversation c = AgentHarness.conversation(agent);
    LinkedBlockingQueue<AgentEvent> events = new LinkedBlockingQueue<>();
    c.send("do it all").subscribe(events::add);
    assertTrue(fastDone.await(10, TimeUnit.SECONDS));
    assertTrue(slowRunning.await(10, TimeUnit.SECONDS));
    AgentEvent e;
    do {
      e = events.poll(10, TimeUnit.SECONDS);
    } while (e != null && !(e instanceof AgentEvent.ToolCallFinished));
    c.cancelTurn();
    do {
      e = events.poll(10, TimeUnit.SECONDS);
    } while (e != null && !(e instanceof AgentEvent.TurnFinished));
    assertEquals("cancelled", assertInstanceOf(AgentEvent.TurnFinished.class, e).outcome());

    h.emulator.enqueue(ElectronReply.text("Okay, stopped."));
    List<AgentEvent> next = turn(c, "never mind");
    assertEquals("Okay, stopped.", spoken(next, SpeechKind.REPLY));
    JsonNode messages = h.emulator.requests().getLast().json().get("messages");
    String all = messages.toString();
    assertTrue(all.contains("fast result"), "the finished result stays in history");
    assertTrue(!all.contains("call_s") && !all.contains("call_c"), "unfinished calls are not in history: " + all);
    assertTrue(!sideEffectRan.get(), "the side-effecting call of the cancelled generation never ran");
  }
}
