package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.testkit.LightningRecorder.assertSpeech;
import static voiceagent.testkit.LightningRecorder.audioOf;
import static voiceagent.testkit.LightningRecorder.last;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningStream;
import voiceagent.audio.WavFile;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;
import voiceagent.common.Secret;
import voiceagent.common.VertxClock;

/** The Lightning WebSocket client against the emulator over real loopback sockets. */
class LightningStreamTest {
  private static final String KEY = "test-key";
  private static Vertx vertx;
  private LightningEmulator emulator;
  private LightningClient client;

  @BeforeAll
  static void startVertx() {
    vertx = BlockedThreadGuard.newVertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) await(client.close());
    if (emulator != null) await(emulator.close());
  }

  private LightningStream open(LightningEmulatorOptions options, LightningConfig overrides, Clock clock,
      int sampleRate, LightningRecorder recorder) throws Exception {
    emulator = await(LightningEmulator.start(vertx, options.withApiKey(KEY)));
    LightningConfig config = overrides.withBaseUrl(emulator.baseUrl()).withApiKey(Secret.ofNullable(KEY));
    client = LightningClient.create(vertx, config, clock);
    return await(client.open(sampleRate, recorder));
  }

  private static LightningEmulatorOptions fast() {
    return LightningEmulatorOptions.defaults().withRealTimeFactor(0);
  }

  private static LightningConfig noBackoff() {
    return LightningConfig.defaults().withTimings(0, 0, 10_000);
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 24000})
  void twoClausesStreamAudioThenCompleteAndMakeAWav(int rate, @TempDir Path dir) throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast(), noBackoff(), VertxClock.INSTANCE, rate, rec);
    String first = "Hello there, ";
    String second = "the weather in Paris is sunny today.";

    LightningStream.Synthesis s = stream.begin("turn-1");
    s.append(first);
    s.append(second);
    s.flush();
    List<LightningEvent> events = rec.untilTerminal("turn-1");

    assertInstanceOf(LightningEvent.AudioChunk.class, events.get(0));
    LightningEvent.Completed done = assertInstanceOf(LightningEvent.Completed.class, last(events));
    byte[] pcm = audioOf(events, "turn-1", rate);
    assertEquals(pcm.length, done.audioBytes());
    assertEquals(first.length() + second.length(), done.characters());
    assertTrue(done.firstAudioMillis() >= 0);
    System.out.printf("lightning emulator ttfa_ms=%d rate=%d audio_ms=%d%n", done.firstAudioMillis(), rate,
        pcm.length * 500L / rate);

    Path wav = dir.resolve("out.wav");
    WavFile.write(wav, new AudioFormat(AudioFormat.Encoding.PCM16_LE, rate, 1), pcm);
    WavFile.Audio read = WavFile.read(wav);
    assertEquals(new AudioFormat(AudioFormat.Encoding.PCM16_LE, rate, 1), read.format());
    assertSpeech(read.data(), rate, 1.5, 6.0);

    List<JsonObject> sent = emulator.received();
    // Whole words go out as they come; the unfinished last word ("today.") waits for the flush.
    assertEquals(List.of("Hello there,", " the weather in Paris is sunny", " today.", ""),
        sent.stream().map(m -> m.getString("text")).toList());
    assertTrue(sent.subList(0, 3).stream().allMatch(m -> m.getBoolean("continue") && !m.getBoolean("flush")));
    JsonObject flush = sent.getLast();
    assertEquals(new JsonObject().put("text", "").put("continue", false).put("flush", true),
        new JsonObject().put("text", flush.getString("text")).put("continue", flush.getBoolean("continue"))
            .put("flush", flush.getBoolean("flush")));
    for (JsonObject m : sent) {
      assertEquals(rate, m.getInteger("sample_rate"));
      assertEquals("turn-1", m.getString("request_id"));
      assertEquals("magnus", m.getString("voice_id"));
      assertEquals(0, m.getInteger("complete_backoff_ms"));
    }
    assertEquals(first.length() + second.length(), emulator.charactersSynthesized());
  }

  @Test
  void wordTimestampsArriveInOrderBeforeComplete() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast(), noBackoff(), VertxClock.INSTANCE, 16000, rec);
    LightningStream.Synthesis s = stream.begin("words");
    s.append("One moment please, I am checking the forecast.");
    s.flush();
    List<LightningEvent> events = rec.untilTerminal("words");

    List<LightningEvent.WordTimestamp> words = events.stream()
        .filter(LightningEvent.WordTimestamp.class::isInstance).map(LightningEvent.WordTimestamp.class::cast).toList();
    assertEquals(List.of("One", "moment", "please", "I", "am", "checking", "the", "forecast"),
        words.stream().map(LightningEvent.WordTimestamp::word).toList());
    double previousEnd = 0;
    for (LightningEvent.WordTimestamp w : words) {
      assertTrue(w.start() >= previousEnd - 1e-6 && w.end() > w.start(), "word out of order: " + w);
      previousEnd = w.end();
    }
    double audioSeconds = audioOf(events, "words", 16000).length / 32000.0;
    assertTrue(previousEnd <= audioSeconds + 0.01, "last word ends after the audio: " + previousEnd);
    assertInstanceOf(LightningEvent.Completed.class, last(events));
  }

  @Test
  void cancelDropsLateAudioAndTheNextSynthesisUsesAFreshSocket() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast().withChunkBytes(256), noBackoff(), VertxClock.INSTANCE, 8000, rec);
    LightningStream.Synthesis[] first = new LightningStream.Synthesis[1];
    int[] chunksBeforeCancel = new int[1];
    rec.onLoop = e -> {
      if (e instanceof LightningEvent.AudioChunk c && c.requestId().equals("barged") && chunksBeforeCancel[0]++ == 0) {
        first[0].cancel(); // on the loop, while the rest of the reply is still arriving
      }
    };
    first[0] = stream.begin("barged");
    first[0].append("This is a rather long answer that the caller will interrupt before it finishes playing.");
    first[0].flush();
    assertInstanceOf(LightningEvent.AudioChunk.class, rec.take());

    LightningStream.Synthesis next = stream.begin("after");
    next.append("Sure, go ahead.");
    next.flush();
    List<LightningEvent> events = rec.untilTerminal("after");

    long bargedEvents = rec.all.stream().filter(e -> switch (e) {
      case LightningEvent.AudioChunk c -> c.requestId().equals("barged");
      case LightningEvent.WordTimestamp w -> w.requestId().equals("barged");
      case LightningEvent.Completed c -> c.requestId().equals("barged");
      case LightningEvent.Failed f -> f.requestId().equals("barged");
      case LightningEvent.Reconnected r -> false;
    }).count();
    assertEquals(1, bargedEvents, "only the chunk delivered before cancel: " + rec.all);
    assertTrue(events.contains(new LightningEvent.Reconnected("cancel")), events.toString());
    assertInstanceOf(LightningEvent.Completed.class, last(events));
    assertSpeech(audioOf(events, "after", 8000), 8000, 0.4, 3.0);
    assertEquals(2, emulator.connectionsAccepted());
  }

  @Test
  void idleTimeoutCloseIsFollowedByAReconnectOnTheNextBegin() throws Exception {
    ManualClock clock = new ManualClock();
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast().withClock(clock), LightningConfig.defaults().withTimings(5, 0, 0), clock,
        16000, rec);
    speak(stream, rec, "t1", "Good morning.");

    clock.advance(5_000); // ?timeout=5: the emulator sends its idle error and closes
    LightningEvent.Completed done = speak(stream, rec, "t2", "Still here.");

    assertTrue(done.audioBytes() > 0);
    assertTrue(rec.all.contains(new LightningEvent.Reconnected("idle")), rec.all.toString());
    assertEquals(2, emulator.connectionsAccepted());
    assertFalse(rec.all.stream().anyMatch(LightningEvent.Failed.class::isInstance), rec.all.toString());
  }

  @Test
  void serverClosingAfterEveryCompleteDoesNotBreakTheNextTurn() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast(), noBackoff(), VertxClock.INSTANCE, 24000, rec);
    emulator.closeAfterComplete(true);
    speak(stream, rec, "a", "First sentence.");
    LightningEvent.Completed second = speak(stream, rec, "b", "Second sentence.");
    assertTrue(second.audioBytes() > 0);
    assertEquals(2, emulator.connectionsAccepted());
  }

  @Test
  void errorFrameFailsTheSynthesisAndTheStreamRecovers() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast(), noBackoff(), VertxClock.INSTANCE, 16000, rec);
    emulator.failNext("voice backend overloaded");
    LightningStream.Synthesis s = stream.begin("bad");
    s.append("Hello.");
    s.flush();
    LightningEvent.Failed failed = assertInstanceOf(LightningEvent.Failed.class, last(rec.untilTerminal("bad")));
    assertEquals(ErrorKind.SERVER, failed.error().kind());
    assertTrue(failed.error().getMessage().contains("voice backend overloaded"));
    assertTrue(speak(stream, rec, "good", "Hello again.").audioBytes() > 0);
  }

  @Test
  void stalledSynthesisTimesOutWaitingForFirstAudio() throws Exception {
    ManualClock clock = new ManualClock();
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast().withClock(clock), LightningConfig.defaults().withTimings(0, 0, 3_000),
        clock, 8000, rec);
    emulator.stallNext();
    LightningStream.Synthesis s = stream.begin("stuck");
    s.append("Are you there?");
    s.flush();
    clock.awaitPending(2, 10_000); // the emulator's idle timer and the client's first-audio deadline
    clock.advance(3_000);
    LightningEvent.Failed failed = assertInstanceOf(LightningEvent.Failed.class, last(rec.untilTerminal("stuck")));
    assertEquals(ErrorKind.TIMEOUT, failed.error().kind());
  }

  @Test
  void socketClosedMidStreamFailsWithConnectivityAfterTheAudioAlreadySent() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = open(fast().withChunkBytes(512), noBackoff(), VertxClock.INSTANCE, 8000, rec);
    emulator.closeMidStream(2);
    LightningStream.Synthesis s = stream.begin("cut");
    s.append("This answer is cut off half way through.");
    s.flush();
    List<LightningEvent> events = rec.untilTerminal("cut");
    LightningEvent.Failed failed = assertInstanceOf(LightningEvent.Failed.class, last(events));
    assertEquals(ErrorKind.CONNECTIVITY, failed.error().kind());
    assertTrue(failed.error().retriable());
    assertEquals(2, events.stream().filter(LightningEvent.AudioChunk.class::isInstance).count());
    assertTrue(speak(stream, rec, "again", "Let me try again.").audioBytes() > 0);
  }

  private static LightningEvent.Completed speak(LightningStream stream, LightningRecorder rec, String id, String text)
      throws Exception {
    LightningStream.Synthesis s = stream.begin(id);
    s.append(text);
    s.flush();
    return assertInstanceOf(LightningEvent.Completed.class, last(rec.untilTerminal(id)));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
