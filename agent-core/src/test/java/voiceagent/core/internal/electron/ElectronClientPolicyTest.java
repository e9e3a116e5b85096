package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import voiceagent.common.ErrorKind;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.ManualClock;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.testkit.electron.ElectronReply;

/** Retry, governor and deadline policy, with back-off schedules checked in virtual time. */
class ElectronClientPolicyTest {
  private ElectronHarness h;
  private final ManualClock clock = new ManualClock();

  @BeforeEach
  void start() throws Exception {
    h = new ElectronHarness(ElectronEmulatorOptions.defaults().withConcurrencyLimit(10));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  /** Deadlines off so the only timers are the ones under test. */
  private ElectronConfig quiet() {
    return h.config().withTimeouts(3000, 0, 0);
  }

  private void advanceNextTimer(long expectedDelay) throws InterruptedException {
    clock.awaitPending(1, 10_000);
    clock.advance(expectedDelay);
  }

  @Test
  void retries502And503WithExponentialBackoff() throws Exception {
    h.emulator.enqueue(ElectronReply.status(503), ElectronReply.status(502), ElectronReply.status(503),
        ElectronReply.text("Finally."));
    ElectronHarness.Recorder r = h.start(h.client(quiet(), clock), ElectronHarness.request("x"));
    advanceNextTimer(250);
    advanceNextTimer(500);
    advanceNextTimer(1000);
    ElectronEvent.Finished done = assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals(4, done.attempts());
    assertEquals(4, h.emulator.requests().size());
    // The back-off schedule; a last 2000 ms timer is the drain deadline of the finished response.
    assertEquals(List.of(250L, 500L, 1000L), clock.scheduledDelays().subList(0, 3));
    assertEquals("Finally.", r.text());
  }

  @Test
  void givesUpAfterFiveAttempts() throws Exception {
    for (int i = 0; i < 5; i++) h.emulator.enqueue(ElectronReply.status(503));
    ElectronHarness.Recorder r = h.start(h.client(quiet(), clock), ElectronHarness.request("x"));
    for (long d : new long[] {250, 500, 1000, 2000}) advanceNextTimer(d);
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(5, failed.attempts());
    assertEquals(5, h.emulator.requests().size());
    assertEquals(List.of(250L, 500L, 1000L, 2000L), clock.scheduledDelays());
    assertEquals(503, failed.error().status());
    assertEquals(h.emulator.requests().getLast().requestId(), failed.error().requestId());
  }

  @Test
  void backoffDoublesUpToTheCap() {
    ElectronConfig.RetryConfig retry = new ElectronConfig.RetryConfig(9, 250, 8000, 0);
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 8000L),
        java.util.stream.IntStream.rangeClosed(2, 8).mapToObj(retry::backoffMillis).toList());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 500})
  void neverRetries(int status) throws Exception {
    h.emulator.enqueue(ElectronReply.status(status), ElectronReply.text("should not be reached"));
    ElectronHarness.Recorder r = h.start(h.client(quiet(), clock), ElectronHarness.request("x"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(1, failed.attempts());
    assertEquals(1, h.emulator.requests().size());
    assertEquals(status, failed.error().status());
    assertFalse(failed.error().retriable());
    assertEquals(List.of(), clock.scheduledDelays());
  }

  @Test
  void rateLimitHonoursRetryAfter() throws Exception {
    h.emulator.enqueue(ElectronReply.rateLimited(Duration.ofSeconds(2)), ElectronReply.text("ok"));
    ElectronHarness.Recorder r = h.start(h.client(quiet(), clock), ElectronHarness.request("x"));
    advanceNextTimer(2000);
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals(2000L, clock.scheduledDelays().get(0));
  }

  @Test
  void concurrencyLimitReachedBacksOffAndRetries() throws Exception {
    h.emulator.enqueue(ElectronReply.concurrencyLimited(), ElectronReply.text("ok"));
    ElectronHarness.Recorder r = h.start(h.client(quiet(), clock), ElectronHarness.request("x"));
    advanceNextTimer(250);
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals(2, h.emulator.requests().size());
  }

  @Test
  void streamCutBeforeAnyTextIsRetried() throws Exception {
    // The server ends the response after a role-only chunk: nothing was said, so the request is sent again.
    h.emulator.enqueue(ElectronReply.rawSse("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"),
        ElectronReply.text("hi"));
    ElectronHarness.Recorder r = h.start(h.client(quiet(), clock), ElectronHarness.request("x"));
    advanceNextTimer(250);
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals("hi", r.text(), "nothing from the broken attempt was reported");
  }

  @Test
  void governorQueuesBeyondThePlanLimitInFifoOrder() throws Exception {
    ElectronClient client = h.client(quiet().withMaxConcurrency(2, 60_000), clock);
    ElectronReply stalled = ElectronReply.builder().text("a b c d").stallAfterChunks(2).build();
    h.emulator.enqueue(stalled, stalled, ElectronReply.text("third"));
    ElectronHarness.Recorder first = h.start(client, ElectronHarness.request("1"));
    first.next(ElectronEvent.TextDelta.class);
    ElectronHarness.Recorder second = h.start(client, ElectronHarness.request("2"));
    second.next(ElectronEvent.TextDelta.class);
    ElectronHarness.Recorder third = h.start(client, ElectronHarness.request("3"));
    clock.awaitPending(1, 10_000); // the third waits in the queue with its wait deadline armed
    assertEquals(1, client.queueDepth());
    assertEquals(2, client.inFlight());
    assertEquals(2, h.emulator.requests().size(), "the third was not sent");

    first.stream.cancel();
    assertInstanceOf(ElectronEvent.Finished.class, third.awaitEnd());
    assertEquals("third", third.text());
    assertEquals(2, h.emulator.maxInFlight(), "never more than the plan limit at the server");
    second.stream.cancel();
  }

  @Test
  void queuedRequestFailsAfterTheBoundedWait() throws Exception {
    ElectronClient client = h.client(quiet().withMaxConcurrency(1, 1500), clock);
    h.emulator.enqueue(ElectronReply.builder().text("a b c").stallAfterChunks(2).build());
    ElectronHarness.Recorder first = h.start(client, ElectronHarness.request("1"));
    first.next(ElectronEvent.TextDelta.class);
    ElectronHarness.Recorder second = h.start(client, ElectronHarness.request("2"));
    advanceNextTimer(1500);
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, second.awaitEnd());
    assertEquals(ErrorKind.RATE_LIMITED, failed.error().kind());
    assertTrue(failed.error().getMessage().contains("1500 ms"), failed.error().getMessage());
    assertEquals(0, client.queueDepth());
    first.stream.cancel();
  }

  @Test
  void firstTokenDeadline() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("late").firstTokenDelay(Duration.ofSeconds(30)).build());
    ElectronHarness.Recorder r = h.start(h.client(h.config().withTimeouts(3000, 4000, 0), clock),
        ElectronHarness.request("x"));
    advanceNextTimer(4000);
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(ErrorKind.TIMEOUT, failed.error().kind());
    assertTrue(failed.error().getMessage().contains("first token"), failed.error().getMessage());
  }

  @Test
  void idleGapDeadline() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("a b c d e").stallAfterChunks(3).build());
    ElectronHarness.Recorder r = h.start(h.client(h.config().withTimeouts(3000, 0, 5000), clock),
        ElectronHarness.request("x"));
    for (int i = 0; i < 3; i++) r.next(ElectronEvent.TextDelta.class); // all that comes before the stall
    clock.advance(5000);
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(ErrorKind.TIMEOUT, failed.error().kind());
    assertTrue(failed.error().getMessage().contains("idle_timeout_ms=5000"), failed.error().getMessage());
    assertTrue(h.emulator.awaitFinished(h.emulator.requests().getLast().requestId(), 5, TimeUnit.SECONDS)
        .cancelledByClient(), "the stalled connection was closed");
  }

  @Test
  void connectionRefusedIsRetriedThenReported() throws Exception {
    ElectronConfig config = quiet().withBaseUrl("http://127.0.0.1:1/v1")
        .withRetry(new ElectronConfig.RetryConfig(2, 250, 8000, 0));
    ElectronHarness.Recorder r = h.start(h.client(config, clock), ElectronHarness.request("x"));
    advanceNextTimer(250);
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(ErrorKind.CONNECTIVITY, failed.error().kind());
    assertEquals(2, failed.attempts());
  }

  @Test
  void aServerThatKeepsTheStreamOpenAfterDoneLosesItsSlotAfterTheDrainTime() throws Exception {
    ElectronClient client = h.client(quiet(), clock);
    h.emulator.enqueue(ElectronReply.builder().text("ok").doneThenKeepOpen().build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd(), "finished at [DONE], not at the socket's end");
    assertEquals(1, client.inFlight(), "the connection is still draining");
    advanceNextTimer(2000);
    String id = h.emulator.requests().getLast().requestId();
    assertTrue(h.emulator.awaitFinished(id, 5, TimeUnit.SECONDS).cancelledByClient());
    assertEquals(0, client.inFlight());
  }

  @Test
  void twoClientsOfTheSameKeyShareOnePlanLimit() throws Exception {
    ElectronConfig config = quiet().withApiKey(voiceagent.common.Secret.ofNullable("sk_same")).withMaxConcurrency(1, 60_000);
    ElectronClient a = h.client(config, clock);
    ElectronClient b = h.client(config, clock);
    ElectronClient other = h.client(config.withApiKey(voiceagent.common.Secret.ofNullable("sk_other")), clock);
    h.emulator.enqueue(ElectronReply.builder().text("a b c").stallAfterChunks(2).build(), ElectronReply.text("other"),
        ElectronReply.text("b"));
    ElectronHarness.Recorder first = h.start(a, ElectronHarness.request("1"));
    first.next(ElectronEvent.TextDelta.class);
    ElectronHarness.Recorder second = h.start(b, ElectronHarness.request("2"));
    clock.awaitPending(1, 10_000); // b waits for a's slot: same key, one plan
    assertEquals(1, a.queueDepth());
    ElectronHarness.Recorder third = h.start(other, ElectronHarness.request("3"));
    assertInstanceOf(ElectronEvent.Finished.class, third.awaitEnd(), "another key is not held back");
    assertEquals("other", third.text());
    first.stream.cancel();
    assertInstanceOf(ElectronEvent.Finished.class, second.awaitEnd());
    assertEquals("b", second.text());
  }
}
