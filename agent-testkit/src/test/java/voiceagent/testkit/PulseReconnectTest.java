package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.testkit.PulseTestSupport.concat;
import static voiceagent.testkit.PulseTestSupport.feed;
import static voiceagent.testkit.PulseTestSupport.onLoop;
import static voiceagent.testkit.PulseTestSupport.run;
import static voiceagent.testkit.PulseTestSupport.silence;
import static voiceagent.testkit.PulseTestSupport.speak;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.PulseClient;
import voiceagent.audio.PulseConfig;
import voiceagent.audio.PulseEvent;
import voiceagent.audio.PulseStream;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/** Unexpected closes: reconnect in virtual time, replay of unacknowledged audio, and when to give up. */
class PulseReconnectTest {
  private static final String FIRST = "hello there";
  private static final String SECOND = "i would like a table for two";
  private static Vertx vertx;
  private static byte[] audio;
  private static int secondStart; // byte position of the second utterance
  private PulseEmulator emulator;
  private Context context;
  private final PulseTestSupport.Recorder events = new PulseTestSupport.Recorder();
  private final ManualClock clock = new ManualClock();

  @BeforeAll
  static void speech(@TempDir Path dir) throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    byte[] first = speak(dir, FIRST);
    byte[] second = speak(dir, SECOND);
    secondStart = 3200 + first.length + 6400;
    audio = concat(silence(400), first, silence(800), second, silence(800));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void startEmulator() {
    emulator = PulseEmulator.start(vertx, PulseEmulatorOptions.defaults()).await();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopEmulator() {
    emulator.close().await();
  }

  private PulseStream open(int maxReconnects) throws Exception {
    PulseConfig config = PulseConfig.fromEnv(Map.of("PULSE_BASE_URL", emulator.baseUrl()))
        .withTimings(1000, 100, maxReconnects, 1000, 5000, 0); // no pings: the clock holds only reconnect timers
    PulseClient client = PulseClient.create(vertx, config, clock);
    return onLoop(context, () -> client.open(AudioFormat.MULAW_8K, events));
  }

  @Test
  void reconnectReplaysEverythingAfterTheLastFinalSoNoAudioIsLost() throws Exception {
    emulator.expectUtterances(FIRST, SECOND);
    int cut = secondStart + 4000; // half a second into the second utterance
    emulator.closeAfterBytes(cut);
    PulseStream stream = open(5);
    int inFlight = cut + 1600; // the client keeps sending while the close is on its way
    run(context, () -> feed(stream, audio, 0, inFlight));

    events.take(PulseEvent.SpeechStarted.class);
    PulseEvent.Final first = assertInstanceOf(PulseEvent.Final.class, events.takeSkippingPartials());
    assertEquals(FIRST, first.text());
    events.take(PulseEvent.SpeechEnded.class);
    clock.awaitPending(1, 10_000); // the drop armed the first reconnect timer
    run(context, () -> feed(stream, audio, inFlight, audio.length)); // audio keeps coming while disconnected
    assertEquals(List.of(1000L), clock.scheduledDelays());
    clock.advance(1000);

    PulseEvent e;
    do e = events.take(); while (!(e instanceof PulseEvent.Reconnected)); // the second segment's start on socket 1
    PulseEvent.Reconnected reconnected = (PulseEvent.Reconnected) e;
    long flushedAtReconnect = onLoop(context, () -> Future.succeededFuture(stream.bytesSent()));
    assertEquals(1, reconnected.attempt());
    assertNull(reconnected.newSessionId()); // Pulse names the session in its first frame
    events.take(PulseEvent.SpeechStarted.class);
    PulseEvent.Final second = assertInstanceOf(PulseEvent.Final.class, events.takeSkippingPartials());
    assertEquals(SECOND, second.text());
    // Times continue the stream's timeline although the new socket counts from its own first byte.
    assertEquals(secondStart / 8000.0, second.words().get(0).start(), 0.1);
    events.take(PulseEvent.SpeechEnded.class);
    assertEquals("emu-2", stream.sessionId());
    onLoop(context, stream::close);
    assertTrue(events.take(PulseEvent.Final.class).last());
    assertEquals(new PulseEvent.Closed(1000), events.take());
    events.assertEmpty();

    List<PulseEmulator.Connection> connections = emulator.connections();
    assertEquals(2, connections.size());
    byte[] one = connections.get(0).audio();
    byte[] two = connections.get(1).audio();
    assertEquals(1011, connections.get(0).closeCode());
    assertTrue(one.length >= cut);
    assertArrayEquals(Arrays.copyOf(audio, one.length), one);
    // The server acknowledged the audio up to the end of the first final's last word; the rest was replayed.
    long acked = (long) (first.words().get(first.words().size() - 1).end() * 8000);
    int replayFrom = audio.length - two.length;
    assertEquals(acked, replayFrom);
    assertArrayEquals(Arrays.copyOfRange(audio, replayFrom, audio.length), two);
    assertTrue(replayFrom <= one.length, "no gap between the sockets");
    assertEquals(flushedAtReconnect - replayFrom, reconnected.replayedBytes());
    assertEquals(audio.length, stream.bytesSent());
    System.out.printf("reconnect: socket 1 got %d bytes, socket 2 replayed %d bytes (%d received twice)%n",
        one.length, reconnected.replayedBytes(), one.length - replayFrom);
  }

  /** Feeds like a carrier that reuses one frame buffer: the stream must keep its own bytes, not the caller's array. */
  private static void feedReusingOneFrame(PulseStream stream, byte[] frame, int from, int to) {
    for (int off = from; off < to; off += frame.length) {
      int n = Math.min(frame.length, to - off);
      System.arraycopy(audio, off, frame, 0, n);
      stream.sendAudio(frame, 0, n);
      Arrays.fill(frame, (byte) 0x55); // the carrier's next frame lands here
    }
  }

  @Test
  void replayAfterReconnectIsExactWhenTheCallerReusesItsFrameBuffer() throws Exception {
    emulator.closeAfterBytes(800);
    PulseStream stream = open(5);
    byte[] frame = new byte[160];
    run(context, () -> feedReusingOneFrame(stream, frame, 0, 1600));
    clock.awaitPending(1, 10_000);
    int end = 4810; // not a whole batch: the last, partly filled batch is flushed by the close
    run(context, () -> feedReusingOneFrame(stream, frame, 1600, end));
    clock.advance(1000);
    PulseEvent e;
    do e = events.take(); while (!(e instanceof PulseEvent.Reconnected));
    onLoop(context, stream::close);
    do e = events.take(); while (!(e instanceof PulseEvent.Closed));

    List<PulseEmulator.Connection> connections = emulator.connections();
    assertEquals(2, connections.size());
    assertArrayEquals(Arrays.copyOf(audio, connections.get(0).audio().length), connections.get(0).audio());
    // Nothing was acknowledged before the drop: the new socket gets the whole stream, byte for byte.
    assertArrayEquals(Arrays.copyOf(audio, end), connections.get(1).audio());
    assertEquals(end, stream.bytesSent());
  }

  /** Opens a stream whose socket the emulator closes after 100 ms of audio; returns once a reconnect is armed. */
  private PulseStream droppedStream(int maxReconnects) throws Exception {
    emulator.closeAfterBytes(800);
    PulseStream stream = open(maxReconnects);
    run(context, () -> feed(stream, audio, 0, 1600));
    clock.awaitPending(1, 10_000);
    return stream;
  }

  @Test
  void refusedKeyDuringReconnectFailsAtOnce() throws Exception {
    droppedStream(5);
    emulator.rejectNextUpgrade(401);
    clock.advance(1000);
    AgentException error = events.take(PulseEvent.Failed.class).error();
    assertEquals(ErrorKind.AUTHENTICATION, error.kind());
    assertEquals(401, error.status());
    assertEquals(0, clock.pending());
    assertEquals(List.of(1000L), clock.scheduledDelays());
    events.assertEmpty();
  }

  @Test
  void givesUpAfterTheLastAttemptWithDoublingBackoff() throws Exception {
    droppedStream(2);
    emulator.close().await(); // nobody listens any more
    clock.advance(1000);
    clock.awaitPending(1, 10_000);
    clock.advance(2000);
    AgentException error = events.take(PulseEvent.Failed.class).error();
    assertEquals(ErrorKind.CONNECTIVITY, error.kind());
    assertFalse(error.retriable());
    assertTrue(error.getMessage().contains("gave up after 2 attempts"), error.getMessage());
    assertEquals(List.of(1000L, 2000L), clock.scheduledDelays());
    emulator = PulseEmulator.start(vertx, PulseEmulatorOptions.defaults()).await(); // for @AfterEach
  }

  @Test
  void sessionCapCloseIsRateLimited() throws Exception {
    emulator.closeAfterBytes(800, 1008);
    PulseStream stream = open(0);
    run(context, () -> feed(stream, audio, 0, 1600));
    AgentException error = events.take(PulseEvent.Failed.class).error();
    assertEquals(ErrorKind.RATE_LIMITED, error.kind());
    assertEquals(1008, error.status());
  }

  @Test
  void closeWhileReconnectingEndsTheStreamAndCancelsTheTimer() throws Exception {
    PulseStream stream = droppedStream(5);
    onLoop(context, stream::close);
    assertEquals(new PulseEvent.Closed(1006), events.take());
    assertEquals(0, clock.pending());
    assertEquals(1, emulator.connections().size());
  }
}
