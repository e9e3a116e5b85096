package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.testkit.electron.Sse.DONE;
import static voiceagent.testkit.electron.Sse.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.testkit.ManualClock;

/** HTTP errors, the concurrency cap, request ids, and mid-stream faults (cut, stall, error events, slow tokens). */
class ElectronFaultTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private EmulatorFixture f;

  @AfterEach
  void stop() throws Exception {
    if (f != null) f.close();
  }

  private static JsonNode error(TestHttp.Response r) throws Exception {
    return JSON.readTree(r.body()).get("error");
  }

  @Test
  void errorEnvelopeCarriesTheSameRequestIdAsTheHeader() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.status(503), ElectronReply.status(400), ElectronReply.text("ok"));
    TestHttp.Response unavailable = f.http.post(TestHttp.USER_HI);
    assertEquals(503, unavailable.status());
    assertEquals("application/json", unavailable.headers().get("Content-Type"));
    assertEquals(unavailable.requestId(), error(unavailable).get("request_id").asText());
    assertEquals("server_error", error(unavailable).get("type").asText());
    assertEquals("Service unavailable", error(unavailable).get("message").asText());

    TestHttp.Response invalid = f.http.post(TestHttp.USER_HI);
    assertEquals("invalid_request_error", error(invalid).get("type").asText());
    assertTrue(error(invalid).get("details").isArray());

    TestHttp.Response ok = f.http.post(TestHttp.USER_HI);
    assertEquals(200, ok.status());
    UUID.fromString(ok.requestId());
    List<String> ids = f.emulator.requests().stream().map(RecordedRequest::requestId).toList();
    assertEquals(List.of(unavailable.requestId(), invalid.requestId(), ok.requestId()), ids);
    assertEquals(3, ids.stream().distinct().count());
  }

  @Test
  void rawErrorBodiesAndRetryAfter() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.status(502, "<html>Bad Gateway</html>", Map.of("Content-Type", "text/html")),
        ElectronReply.status(400, "{\"object\":\"error\",\"message\":\"bad\",\"code\":400}", Map.of()),
        ElectronReply.rateLimited(Duration.ofMillis(1500)));
    TestHttp.Response html = f.http.post(TestHttp.USER_HI);
    assertEquals(502, html.status());
    assertEquals("<html>Bad Gateway</html>", html.body());
    assertEquals("text/html", html.headers().get("Content-Type"));
    assertNotNull(html.requestId());

    TestHttp.Response unwrapped = f.http.post(TestHttp.USER_HI);
    assertEquals("{\"object\":\"error\",\"message\":\"bad\",\"code\":400}", unwrapped.body());

    TestHttp.Response limited = f.http.post(TestHttp.USER_HI);
    assertEquals(429, limited.status());
    assertEquals("2", limited.headers().get("Retry-After"));
    assertEquals("Rate limit exceeded", error(limited).get("message").asText());
    assertEquals(limited.requestId(), error(limited).get("request_id").asText());
  }

  @Test
  void fourthParallelStreamGets429AtALimitOfThreeAndClosingFreesTheSlots() throws Exception {
    f = EmulatorFixture.manual();
    ElectronReply stalled = ElectronReply.builder().text("Hello there").stallAfterChunks(1).build();
    f.emulator.enqueue(stalled, stalled, stalled, ElectronReply.text("not used by the rejected request"));
    TestHttp holder = new TestHttp(f.vertx, f.emulator.baseUrl());
    List<String> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      holder.postAsync(TestHttp.USER_HI);
      held.add(f.emulator.takeRequest(5, TimeUnit.SECONDS).requestId());
    }
    TestHttp.Response fourth = f.http.post(TestHttp.USER_HI);
    assertEquals(429, fourth.status());
    assertEquals("Concurrency limit reached", error(fourth).get("message").asText());
    assertEquals("rate_limit_error", error(fourth).get("type").asText());
    assertEquals(fourth.requestId(), error(fourth).get("request_id").asText());
    assertEquals(3, f.emulator.inFlight());
    assertEquals(3, f.emulator.maxInFlight());

    holder.close(); // closes the three stalled connections
    for (String id : held) assertTrue(f.emulator.awaitFinished(id, 5, TimeUnit.SECONDS).cancelledByClient());
    assertEquals(0, f.emulator.inFlight());
    TestHttp.Response next = f.http.post(TestHttp.USER_HI);
    assertEquals(200, next.status());
    assertTrue(next.body().contains("{\"content\":\" rejected\"}"), "the 429 did not consume the queued reply");
    assertEquals(3, f.emulator.maxInFlight());
  }

  @Test
  void cutAfterChunksClosesTheConnectionWithoutDone() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.builder().contentFragments("One", " two", " three").cutAfterChunks(2).build());
    TestHttp.Response r = f.http.post(TestHttp.USER_HI);
    Sse e = new Sse(r.requestId());
    assertNotNull(r.failure());
    assertEquals(e.delta(q("{'role':'assistant','content':'One'}")) + e.delta(q("{'content':' two'}")), r.body());
    RecordedRequest done = f.emulator.awaitFinished(r.requestId(), 5, TimeUnit.SECONDS);
    assertFalse(done.cancelledByClient());
    assertEquals(0, f.emulator.inFlight());
  }

  @Test
  void doneThenKeepOpenHoldsTheSlotUntilTheClientCloses() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.builder().text("Hi").noUsage().doneThenKeepOpen().build());
    TestHttp.Response r = f.http.postAsync(TestHttp.USER_HI, Map.of(), "/chat/completions",
        body -> body.endsWith(DONE)).get(5, TimeUnit.SECONDS);
    assertNull(r.failure());
    assertTrue(f.emulator.awaitFinished(r.requestId(), 5, TimeUnit.SECONDS).cancelledByClient());
    assertEquals(0, f.emulator.inFlight());
  }

  @Test
  void errorEventOrErrorChunkAfterTextEndsTheStream() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.builder().text("Sure,").toolCall("c", "f", "{}").errorEventAfterText("overloaded")
        .build(), ElectronReply.builder().text("Sure,").errorChunkAfterText("overloaded").build());
    TestHttp.Response event = f.http.post(TestHttp.USER_HI);
    Sse e = new Sse(event.requestId());
    assertEquals(200, event.status());
    assertEquals(e.delta(q("{'role':'assistant','content':'Sure,'}")) + "event: error\n" + q("data: {'error':"
        + "{'message':'overloaded','type':'server_error','code':'stream_error','request_id':'" + event.requestId()
        + "'}}\n\n"), event.body());

    TestHttp.Response chunk = f.http.post(TestHttp.USER_HI);
    Sse c = new Sse(chunk.requestId());
    assertEquals(c.delta(q("{'role':'assistant','content':'Sure,'}")) + q("data: {'error':{'message':'overloaded',"
        + "'type':'server_error','code':'stream_error','request_id':'" + chunk.requestId() + "'}}\n\n"), chunk.body());
  }

  @Test
  void rawSsePiecesArriveExactlyAsGiven() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.rawSse("da", "ta: {\"choices\":[]}\n", "\ndata: [DO", "NE]\n\n"));
    TestHttp.Response r = f.http.post(TestHttp.USER_HI);
    assertEquals(200, r.status());
    assertEquals("text/event-stream", r.headers().get("Content-Type"));
    assertEquals("data: {\"choices\":[]}\n\ndata: [DONE]\n\n", r.body());
  }

  @Test
  void firstTokenDelayAndInterChunkDelayUseTheClock() throws Exception {
    ManualClock clock = new ManualClock();
    f = new EmulatorFixture(ElectronEmulatorOptions.defaults().withClock(clock));
    f.emulator.enqueue(ElectronReply.builder().contentFragments("A", "B").noUsage().noDone()
        .firstTokenDelay(Duration.ofSeconds(2)).interChunkDelay(Duration.ofMillis(50)).build());
    CompletableFuture<TestHttp.Response> pending = f.http.postAsync(TestHttp.USER_HI);
    clock.awaitPending(1, 5000);
    assertEquals(List.of(2000L), clock.scheduledDelays());
    clock.advance(2000);
    clock.awaitPending(1, 5000);
    clock.advance(50);
    clock.awaitPending(1, 5000);
    assertEquals(List.of(2000L, 50L, 50L), clock.scheduledDelays());
    clock.advance(50);
    TestHttp.Response r = pending.get(5, TimeUnit.SECONDS);
    Sse e = new Sse(r.requestId());
    assertEquals(e.delta(q("{'role':'assistant','content':'A'}")) + e.delta(q("{'content':'B'}")) + e.finish("stop"),
        r.body());
  }

  @Test
  void stalledStreamIsHeldUntilTheClientGivesUp() throws Exception {
    f = EmulatorFixture.realTime(ElectronEmulatorOptions.defaults().withConcurrencyLimit(1));
    f.emulator.enqueue(ElectronReply.builder().contentFragments("A", "B").stallAfterChunks(1).build());
    TestHttp.Response r = f.http.postAsync(TestHttp.USER_HI, Map.of(), "/chat/completions",
        body -> body.contains("\"A\"")).get(5, TimeUnit.SECONDS);
    RecordedRequest stalled = f.emulator.awaitFinished(r.requestId(), 5, TimeUnit.SECONDS);
    assertTrue(stalled.cancelledByClient());
    assertTrue(f.emulator.requests().get(0).cancelledByClient());
    assertEquals(200, f.http.post(TestHttp.USER_HI).status());
  }

  @Test
  void closingTheEmulatorEndsStalledStreams() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.builder().text("A").stallAfterChunks(0).build());
    CompletableFuture<TestHttp.Response> stalled = f.http.postAsync(TestHttp.USER_HI);
    String id = f.emulator.takeRequest(5, TimeUnit.SECONDS).requestId();
    f.emulator.close().await(5, TimeUnit.SECONDS);
    assertFalse(f.emulator.awaitFinished(id, 5, TimeUnit.SECONDS).cancelledByClient());
    assertNotNull(stalled.get(5, TimeUnit.SECONDS).failure());
    assertEquals(0, f.emulator.inFlight());
  }
}
