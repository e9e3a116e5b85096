package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import voiceagent.common.VertxClock;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.ManualClock;

class ToolExecutorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static Vertx vertx;
  private static Context context;
  private static Thread loop;

  record CityArgs(@ToolParam(description = "City name") String city) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    context = vertx.getOrCreateContext();
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    context.runOnContext(v -> thread.complete(Thread.currentThread()));
    loop = thread.get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Awaits the result and checks that it was delivered on the context's event loop. */
  private static ToolResult await(Future<ToolResult> future) throws Exception {
    CompletableFuture<ToolResult> done = new CompletableFuture<>();
    future.onComplete(ar -> {
      if (Thread.currentThread() != loop) {
        done.completeExceptionally(new AssertionError("result delivered on " + Thread.currentThread()));
      } else if (ar.failed()) {
        done.completeExceptionally(ar.cause());
      } else {
        done.complete(ar.result());
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  private static Tool.Builder cityTool(String name) {
    return Tool.builder(name).description("Does something with a city.").parameters(CityArgs.class);
  }

  private static ToolCall call(String id, String name, String arguments) {
    return ToolCall.of(id, name, arguments);
  }

  @Test
  void twoBlockingToolsRunInParallel() throws Exception {
    ManualClock clock = new ManualClock();
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Tool tool = cityTool("slow").handler(CityArgs.class, args -> {
      bothRunning.countDown();
      try {
        // Each body waits for the other: this only returns "together" if both run at once.
        boolean together = bothRunning.await(5, TimeUnit.SECONDS);
        release.await(10, TimeUnit.SECONDS); // the tool's own work, which the test ends after 300 ms of virtual time
        return together ? "together " + args.city() : "alone";
      } catch (InterruptedException e) {
        throw new IllegalStateException("interrupted");
      }
    }).build();
    try (ToolExecutor executor = new ToolExecutor(clock)) {
      Future<ToolResult> a = executor.execute(call("a", "slow", "{\"city\":\"Oslo\"}"), tool, context);
      Future<ToolResult> b = executor.execute(call("b", "slow", "{\"city\":\"Rome\"}"), tool, context);
      assertTrue(bothRunning.await(5, TimeUnit.SECONDS));
      clock.advance(300);
      release.countDown();
      ToolResult ra = await(a);
      ToolResult rb = await(b);

      assertEquals("together Oslo", ra.content());
      assertEquals("together Rome", rb.content());
      assertTrue(ra.startedNanos() < rb.finishedNanos() && rb.startedNanos() < ra.finishedNanos(),
          "intervals overlap: " + ra + " " + rb);
      assertEquals(300, ra.durationMillis(), "duration covers the body, on the executor's clock");
    }
  }

  @Test
  void timeoutOnTheManualClockGivesAnErrorAndInterruptsTheTool() throws Exception {
    ManualClock clock = new ManualClock();
    CountDownLatch started = new CountDownLatch(1);
    BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
    Tool tool = cityTool("stuck").timeout(Duration.ofMillis(2_000)).handler(json -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // never released: only an interrupt ends it
        outcome.add("finished");
      } catch (InterruptedException e) {
        outcome.add("interrupted");
      }
      return "late";
    }).build();
    try (ToolExecutor executor = new ToolExecutor(clock)) {
      Future<ToolResult> result = executor.execute(call("c1", "stuck", "{\"city\":\"Oslo\"}"), tool, context);
      assertTrue(started.await(5, TimeUnit.SECONDS));
      clock.awaitPending(1, 5_000);
      clock.advance(1_999);
      assertFalse(result.isComplete());
      clock.advance(1);

      ToolResult r = await(result);
      assertTrue(r.error());
      assertEquals("{\"error\":\"timed out after 2000 ms\"}", r.content());
      assertEquals(2_000, r.durationMillis());
      assertEquals("interrupted", outcome.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void invalidOrUnparseableArgumentsGiveErrorsWithoutRunningTheTool() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Tool tool = cityTool("lookup").handler(json -> runs.incrementAndGet()).build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolResult missing = await(executor.execute(call("1", "lookup", "{}"), tool, context));
      ToolResult wrongType = await(executor.execute(call("2", "lookup", "{\"city\":42}"), tool, context));
      ToolResult extra = await(executor.execute(call("3", "lookup", "{\"city\":\"Oslo\",\"x\":1}"), tool, context));
      ToolResult broken = await(executor.execute(call("4", "lookup", "{\"city\":\"Os"), tool, context));

      assertTrue(missing.error() && wrongType.error() && extra.error() && broken.error());
      assertTrue(missing.content().startsWith("{\"error\":\"invalid arguments: ") && missing.content().contains("city"),
          missing.content());
      assertTrue(wrongType.content().contains("city"), wrongType.content());
      assertTrue(extra.content().contains("x"), extra.content());
      assertEquals("{\"error\":\"invalid arguments: not valid JSON\"}", broken.content());
      assertEquals("4", broken.callId());
      assertEquals(0, runs.get());
    }
  }

  @Test
  void exceptionBecomesAnErrorResultWithItsMessageOnly() throws Exception {
    Tool tool = cityTool("boom").handler(json -> {
      throw new IllegalStateException("database is down");
    }).build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolResult r = await(executor.execute(call("1", "boom", "{\"city\":\"Oslo\"}"), tool, context));
      assertTrue(r.error());
      assertEquals("{\"error\":\"database is down\"}", r.content());
    }
  }

  @Test
  void cancelledSideEffectingCallThatHasNotStartedNeverRuns() throws Exception {
    // One carrier thread, busy: the booking is queued behind it and cannot start before the cancel.
    ExecutorService oneThread = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    CountDownLatch release = new CountDownLatch(1);
    oneThread.submit(() -> release.await(5, TimeUnit.SECONDS));
    AtomicInteger bookings = new AtomicInteger();
    Tool book = cityTool("book").sideEffects(true).handler(json -> bookings.incrementAndGet()).build();
    ToolExecutor executor = new ToolExecutor(oneThread, VertxClock.INSTANCE);

    ToolExecution execution = executor.start(call("b1", "book", "{\"city\":\"Oslo\"}"), book, context);
    assertTrue(execution.cancel());
    release.countDown();
    oneThread.shutdown();
    assertTrue(oneThread.awaitTermination(5, TimeUnit.SECONDS));

    ToolResult r = await(execution.result());
    assertEquals("{\"error\":\"cancelled\"}", r.content());
    assertFalse(execution.started());
    assertEquals(0, bookings.get());
    assertFalse(execution.cancel(), "a second cancel changes nothing");
  }

  @Test
  void interruptLetsARunningSideEffectingCallFinishButStopsAReadOnlyOne() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<String> outcomes = new ArrayBlockingQueue<>(2);
    java.util.function.Function<String, Tool> tool = name -> cityTool(name).sideEffects(name.equals("book"))
        .handler(json -> {
          bothRunning.countDown();
          try {
            release.await(5, TimeUnit.SECONDS);
            outcomes.add(name + " finished");
            return name + " done";
          } catch (InterruptedException e) {
            outcomes.add(name + " interrupted");
            return "never";
          }
        }).build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      String args = "{\"city\":\"Oslo\"}";
      ToolExecution book = executor.start(call("b", "book", args), tool.apply("book"), context);
      ToolExecution look = executor.start(call("l", "look", args), tool.apply("look"), context);
      assertTrue(bothRunning.await(5, TimeUnit.SECONDS));

      assertTrue(book.interrupt(), "the side-effecting call runs on: its own result will follow");
      assertFalse(look.interrupt(), "the read-only call is decided as cancelled");
      assertEquals("look interrupted", outcomes.poll(5, TimeUnit.SECONDS));
      release.countDown();
      assertEquals("book finished", outcomes.poll(5, TimeUnit.SECONDS));
      assertEquals("book done", await(book.result()).content());
      assertEquals("{\"error\":\"cancelled\"}", await(look.result()).content());
    }
  }

  @Test
  void cancelInterruptsARunningBlockingTool() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
    Tool tool = cityTool("wait").handler(json -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        outcome.add("interrupted");
      }
      return "late";
    }).build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolExecution execution = executor.start(call("w1", "wait", "{\"city\":\"Oslo\"}"), tool, context);
      assertTrue(started.await(5, TimeUnit.SECONDS));
      assertTrue(execution.cancel());
      assertEquals("{\"error\":\"cancelled\"}", await(execution.result()).content());
      assertTrue(execution.started());
      assertEquals("interrupted", outcome.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void returnValuesBecomeContentAsTextOrJson() throws Exception {
    Tool text = cityTool("text").handler(CityArgs.class, args -> "Sunny in " + args.city()).build();
    Tool json = cityTool("json").handler(args -> Map.of("city", args.get("city").asText(), "temp", 21)).build();
    Tool nothing = cityTool("nothing").handler(args -> null).build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      String args = "{\"city\":\"Oslo\"}";
      assertEquals("Sunny in Oslo", await(executor.execute(call("1", "text", args), text, context)).content());
      assertEquals(MAPPER.readTree("{\"city\":\"Oslo\",\"temp\":21}"),
          MAPPER.readTree(await(executor.execute(call("2", "json", args), json, context)).content()));
      assertEquals("{\"ok\":true}", await(executor.execute(call("3", "nothing", args), nothing, context)).content());
    }
  }

  @Test
  void nonBlockingToolsAreCalledOnVirtualThreadsAndCompleteOnTheContext() throws Exception {
    BlockingQueue<Thread> calledOn = new ArrayBlockingQueue<>(2);
    Tool stage = cityTool("stage").asyncHandler(args -> {
      calledOn.add(Thread.currentThread());
      return CompletableFuture.supplyAsync(() -> "stage " + args.get("city").asText());
    }).build();
    Tool mono = cityTool("mono").monoHandler(args -> {
      calledOn.add(Thread.currentThread());
      return Mono.just(List.of(args.get("city").asText()));
    }).build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      String args = "{\"city\":\"Oslo\"}";
      assertEquals("stage Oslo", await(executor.execute(call("1", "stage", args), stage, context)).content());
      assertEquals("[\"Oslo\"]", await(executor.execute(call("2", "mono", args), mono, context)).content());
      for (int i = 0; i < 2; i++) {
        Thread t = calledOn.poll(5, TimeUnit.SECONDS);
        assertNotNull(t);
        assertTrue(t.isVirtual() && t != loop, "factory called off the event loop: " + t);
      }
    }
  }

  @Test
  void monoToolTimesOutAndIsCancelled() throws Exception {
    ManualClock clock = new ManualClock();
    BlockingQueue<String> signals = new ArrayBlockingQueue<>(1);
    Tool tool = cityTool("never").timeout(Duration.ofMillis(500))
        .monoHandler(args -> Mono.never().doOnCancel(() -> signals.add("cancelled"))).build();
    try (ToolExecutor executor = new ToolExecutor(clock)) {
      Future<ToolResult> result = executor.execute(call("1", "never", "{\"city\":\"Oslo\"}"), tool, context);
      clock.awaitPending(1, 5_000);
      clock.advance(500);
      assertEquals("{\"error\":\"timed out after 500 ms\"}", await(result).content());
      assertEquals("cancelled", signals.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void unknownToolGivesAnErrorResult() throws Exception {
    ToolRegistry registry = ToolRegistry.of(cityTool("known").handler(json -> "x").build());
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolExecution execution = executor.start(call("1", "unknown", "{}"), registry, context);
      ToolResult r = await(execution.result());
      assertEquals("{\"error\":\"unknown tool: unknown\"}", r.content());
      assertNotNull(r.callId());
    }
  }

  @Test
  void recordBindingFailureIsReportedAsInvalidArguments() throws Exception {
    ObjectNode anyCity = (ObjectNode) MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"city\":{}}}");
    Tool tool = Tool.builder("bind").description("Binds.").parameters(anyCity)
        .handler(CityArgs.class, args -> "ran").build();
    try (ToolExecutor executor = new ToolExecutor(VertxClock.INSTANCE)) {
      ToolResult r = await(executor.execute(call("1", "bind", "{\"city\":{\"a\":1}}"), tool, context));
      assertTrue(r.error());
      assertTrue(r.content().startsWith("{\"error\":\"invalid arguments: "), r.content());
    }
  }
}
