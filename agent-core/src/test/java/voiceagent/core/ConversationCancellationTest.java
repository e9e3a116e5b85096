package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.RecordedRequest;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** Cancelling the flux of {@link Conversation#send} cancels that subscription's turn and no other. */
class ConversationCancellationTest {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  private static boolean finished(AgentEvent e) {
    return e instanceof AgentEvent.TurnFinished;
  }

  private static String outcome(AgentEvent e) {
    return ((AgentEvent.TurnFinished) e).outcome();
  }

  /** Takes events until the turn's TurnFinished, which it returns. */
  private static AgentEvent awaitFinished(LinkedBlockingQueue<AgentEvent> events) throws InterruptedException {
    AgentEvent e;
    do {
      e = events.poll(20, TimeUnit.SECONDS);
    } while (e != null && !finished(e));
    assertNotNull(e, "the turn never finished");
    return e;
  }

  @Test
  void nextThenAnImmediateSecondSendAnswersTheSecondTurn() throws Exception {
    Conversation c = AgentHarness.conversation(h.agent(AgentConfig.builder("You are a test agent.").build()));
    h.emulator.enqueue(ElectronReply.text("First answer."), ElectronReply.text("Second answer."));

    StepVerifier.create(c.send("one").next().flatMapMany(first -> c.send("two")).filter(e -> finished(e)))
        .assertNext(e -> assertEquals("answered", outcome(e)))
        .expectComplete()
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void aCancelSignalledAfterTheLastEventDoesNotReachTheTurnStartedMeanwhile() throws Exception {
    Conversation c = AgentHarness.conversation(h.agent(AgentConfig.builder("You are a test agent.").build()));
    h.emulator.enqueue(ElectronReply.text("First answer."), ElectronReply.text("Second answer."));
    LinkedBlockingQueue<AgentEvent> second = new LinkedBlockingQueue<>();

    // takeUntil hands TurnFinished on, and only then cancels upstream: the next turn is already on its way.
    StepVerifier.create(c.send("one").takeUntil(e -> finished(e)).doOnNext(e -> {
          if (finished(e)) c.send("two").subscribe(second::add);
        }).filter(e -> finished(e)))
        .assertNext(e -> assertEquals("answered", outcome(e)))
        .expectComplete().verify(Duration.ofSeconds(20));

    assertEquals("answered", outcome(awaitFinished(second)));
  }

  @Test
  void aTimeoutMidTurnCancelsThatTurnAndKeepsWhatItSaid() throws Exception {
    Conversation c = AgentHarness.conversation(h.agent(AgentConfig.builder("You are a test agent.").build()));
    h.emulator.enqueue(ElectronReply.builder().contentFragments("Part one is ready. ", "part two").stallAfterChunks(2)
        .build());

    StepVerifier.withVirtualTime(() -> c.send("slow one").timeout(Duration.ofSeconds(5)))
        .expectSubscription()
        .expectNextMatches(AgentEvent.FirstTokenReceived.class::isInstance)
        .expectNextMatches(e -> e instanceof AgentEvent.SpeechReady s && s.text().equals("Part one is ready."))
        .thenAwait(Duration.ofSeconds(5))
        .expectError(TimeoutException.class)
        .verify(Duration.ofSeconds(20));

    RecordedRequest request = h.emulator.requests().getFirst();
    assertTrue(h.emulator.awaitFinished(request.requestId(), 20, TimeUnit.SECONDS).cancelledByClient());
    h.emulator.enqueue(ElectronReply.text("Fine."));
    StepVerifier.create(c.send("next").filter(e -> finished(e)))
        .assertNext(e -> assertEquals("answered", outcome(e)))
        .expectComplete().verify(Duration.ofSeconds(20));
    List<ChatMessage> history = AgentHarness.await(c.history());
    assertEquals(ChatMessage.assistant("Part one is ready.", List.of()), history.get(1), "what it said stays");
  }

  @Test
  void aLateCancelAfterCompletionDoesNotCancelTheNextTurn() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Tool hold = Tool.builder("hold").description("Holds the turn open.").handler(args -> {
      running.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "held";
    }).build();
    Conversation c = AgentHarness.conversation(h.agent(AgentConfig.builder("You are a test agent.")
        .tools(ToolRegistry.of(hold)).build()));
    h.emulator.enqueue(ElectronReply.text("First answer."),
        ElectronReply.builder().toolCall("call_h", "hold", "{}").build(), ElectronReply.text("Second answer."));

    LateCanceller first = new LateCanceller();
    c.send("one").subscribe(first);
    assertTrue(first.completed.await(20, TimeUnit.SECONDS));
    LinkedBlockingQueue<AgentEvent> second = new LinkedBlockingQueue<>();
    c.send("two").subscribe(second::add);
    assertTrue(running.await(20, TimeUnit.SECONDS));

    first.subscription.cancel(); // long after the first turn completed
    AgentHarness.await(c.history()); // the cancel's hop to the loop has run
    release.countDown();
    assertEquals("answered", outcome(awaitFinished(second)));
  }

  @Test
  void aSecondSubscriberFailsAndTheTextIsSentOnce() throws Exception {
    Conversation c = AgentHarness.conversation(h.agent(AgentConfig.builder("You are a test agent.").build()));
    h.emulator.enqueue(ElectronReply.text("Only once."));
    Flux<AgentEvent> turn = c.send("hello");

    StepVerifier.create(turn.filter(e -> finished(e))).assertNext(e -> assertEquals("answered", outcome(e)))
        .expectComplete().verify(Duration.ofSeconds(20));
    StepVerifier.create(turn).expectError(IllegalStateException.class).verify(Duration.ofSeconds(5));
    StepVerifier.create(turn.retry(2)).expectError(IllegalStateException.class).verify(Duration.ofSeconds(5));
    assertEquals(1, h.emulator.requests().size(), "re-subscribing never sends the text again");
  }

  @Test
  void blankTextStartsNothing() throws Exception {
    Conversation c = AgentHarness.conversation(h.agent(AgentConfig.builder("You are a test agent.").build()));
    StepVerifier.create(c.send(" \t\n")).expectComplete().verify(Duration.ofSeconds(20));
    assertEquals(List.of(), AgentHarness.await(c.history()));
    assertEquals(0, h.emulator.requests().size());
  }

  /** Keeps its subscription and cancels it whenever the test says, even after completion. */
  private static final class LateCanceller implements Subscriber<AgentEvent> {
    final CountDownLatch completed = new CountDownLatch(1);
    volatile Subscription subscription;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(AgentEvent event) {
      // only completion matters here
    }

    @Override
    public void onError(Throwable t) {
      completed.countDown();
    }

    @Override
    public void onComplete() {
      completed.countDown();
    }
  }
}
