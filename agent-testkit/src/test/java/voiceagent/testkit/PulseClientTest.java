package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.testkit.PulseTestSupport.concat;
import static voiceagent.testkit.PulseTestSupport.feed;
import static voiceagent.testkit.PulseTestSupport.onLoop;
import static voiceagent.testkit.PulseTestSupport.run;
import static voiceagent.testkit.PulseTestSupport.silence;
import static voiceagent.testkit.PulseTestSupport.speak;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
import voiceagent.common.Secret;

/** Real speech through codec, resampler, PulseClient and PulseEmulator over loopback. */
class PulseClientTest {
  private static final String TEXT = "the weather in paris is sunny today";
  private static Vertx vertx;
  private static byte[] utterance;
  private PulseEmulator emulator;
  private Context context;
  private final PulseTestSupport.Recorder events = new PulseTestSupport.Recorder();
  private final ManualClock clock = new ManualClock();

  @BeforeAll
  static void speech(@TempDir Path dir) throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    utterance = speak(dir, TEXT);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void startEmulator() {
    emulator = PulseEmulator.start(vertx, PulseEmulatorOptions.defaults().withExpectedApiKey("sk_right")).await();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopEmulator() {
    emulator.close().await();
  }

  private PulseConfig config() {
    return PulseConfig.fromEnv(Map.of("PULSE_BASE_URL", emulator.baseUrl(), "SMALLEST_API_KEY", "sk_right"));
  }

  private PulseStream open(PulseConfig config) throws Exception {
    PulseClient client = PulseClient.create(vertx, config, clock);
    return onLoop(context, () -> client.open(AudioFormat.MULAW_8K, events));
  }

  @Test
  void utteranceGivesSpeechStartedGrowingPartialsFinalAndSpeechEnded() throws Exception {
    emulator.expectUtterances(TEXT);
    byte[] audio = concat(silence(500), utterance, silence(1000));
    PulseStream stream = open(config());
    run(context, () -> feed(stream, audio, 0, audio.length));

    PulseEvent.SpeechStarted started = events.take(PulseEvent.SpeechStarted.class);
    assertEquals(0.5, started.timestampSeconds(), 0.1); // espeak-ng starts with a few ms of near silence
    int words = 0;
    PulseEvent e;
    while ((e = events.take()) instanceof PulseEvent.Partial p) {
      assertTrue(TEXT.startsWith(p.text()), p.text());
      int count = p.text().split(" ").length;
      assertTrue(count > words, "partials grow: " + p.text());
      words = count;
    }
    assertTrue(words >= 2, "at least two partials before the final");
    PulseEvent.Final fin = assertInstanceOf(PulseEvent.Final.class, e);
    assertEquals(TEXT, fin.text());
    assertFalse(fin.fromFinalize() || fin.last());
    assertEquals("en", fin.language());
    assertEquals(7, fin.words().size());
    assertEquals(started.timestampSeconds(), fin.words().get(0).start(), 0.001);
    double spoken = utterance.length / 8000.0;
    double end = fin.words().get(6).end(); // espeak-ng ends each WAV with some silence
    assertTrue(end > 0.5 + spoken - 0.5 && end <= 0.5 + spoken, "speech ends at " + end + " of " + (0.5 + spoken));
    assertEquals(fin.words().get(6).end(), events.take(PulseEvent.SpeechEnded.class).timestampSeconds(), 0.001);

    onLoop(context, stream::close);
    PulseEvent.Final last = events.take(PulseEvent.Final.class);
    assertTrue(last.last());
    assertEquals("", last.text());
    assertEquals(new PulseEvent.Closed(1000), events.take());
    events.assertEmpty();

    PulseEmulator.Connection c = emulator.connections().get(0);
    assertArrayEquals(audio, c.audio());
    assertEquals(audio.length, stream.bytesSent());
    assertEquals("emu-1", stream.sessionId());
    assertEquals(List.of("{\"type\":\"close_stream\"}"), c.textMessages());
    assertEquals(Map.of("model", "pulse", "language", "en", "encoding", "mulaw", "sample_rate", "8000",
        "word_timestamps", "true", "vad_events", "true", "endpointing", "true"), c.query());
  }

  @Test
  void finalizeGivesFromFinalizeFinalWhenEndpointingIsOff() throws Exception {
    emulator.expectUtterances(TEXT, "second");
    byte[] audio = concat(silence(300), utterance, silence(600));
    PulseStream stream = open(config().withQuery(true, false, false, null, List.of(), Map.of()));
    run(context, () -> {
      feed(stream, audio, 0, audio.length);
      stream.finalizeTurn();
    });
    PulseEvent.Final fin = assertInstanceOf(PulseEvent.Final.class, events.takeSkippingPartials());
    assertEquals(TEXT, fin.text());
    assertTrue(fin.fromFinalize());
    // A finalize with nothing pending still gets an (empty) answer from the emulator; the script is not consumed.
    run(context, stream::finalizeTurn);
    assertEquals(new PulseEvent.Final("", List.of(), true, false, "en"), events.take());
    onLoop(context, stream::close);
    assertTrue(events.take(PulseEvent.Final.class).last());
    assertEquals(new PulseEvent.Closed(1000), events.take());
    assertEquals(List.of("{\"type\":\"finalize\"}", "{\"type\":\"finalize\"}", "{\"type\":\"close_stream\"}"),
        emulator.connections().get(0).textMessages());
    // Each finalize flushed the batch first: the server had every byte before it was asked to finalize.
    assertArrayEquals(audio, emulator.connections().get(0).audio());
  }

  @Test
  void wrongKeyFailsTheOpenWithAuthenticationAndNoRetry() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> open(config().withApiKey(Secret.ofNullable("sk_wrong"))));
    AgentException a = assertInstanceOf(AgentException.class, e.getCause());
    assertEquals(ErrorKind.AUTHENTICATION, a.kind());
    assertEquals(401, a.status());
    assertFalse(a.retriable());
    assertTrue(a.getMessage().contains("SMALLEST_API_KEY"), a.getMessage());
    assertFalse(a.getMessage().contains("sk_wrong"));
    assertEquals(0, clock.pending());
    assertEquals(List.of(), emulator.connections());
  }

  @Test
  void missingModelIsRejectedAsInvalidRequestAndLegacyPathNeedsNone() throws Exception {
    PulseConfig noModel = new PulseConfig(emulator.baseUrl(), PulseConfig.LEGACY_PATH, null, "en", true, true, true,
        null, List.of(), Map.of(), Secret.ofNullable("sk_right"), 1000, 100, 5, 1000, 5000, 0, 5000);
    PulseStream legacy = open(noModel);
    assertFalse(emulator.connections().get(0).query().containsKey("model"));
    onLoop(context, legacy::close);

    emulator.rejectNextUpgrade(400);
    ExecutionException e = assertThrows(ExecutionException.class, () -> open(config()));
    AgentException a = assertInstanceOf(AgentException.class, e.getCause());
    assertEquals(ErrorKind.INVALID_REQUEST, a.kind());
    assertEquals(400, a.status());
  }

  @Test
  void everyFrameVariantIsUnderstoodAndUnknownOnesIgnored() throws Exception {
    open(config());
    for (String frame : List.of(
        "{\"transcription\":\"no type\"}",
        "{\"type\":\"transcription\",\"transcript\":\"\",\"is_final\":false}",
        "{\"type\":\"transcription\",\"transcript\":\"both\",\"transcription\":\"both\",\"session_id\":\"s9\"}",
        "{\"type\":\"future_event\",\"x\":1}",
        "{\"type\":\"transcription\",\"transcription\":\"old final\",\"is_final\":true,\"words\":["
            + "{\"word\":\"old\",\"start\":0.1,\"end\":0.2,\"speaker\":1},"
            + "{\"word\":\"final\",\"start\":0.2,\"end\":0.4,\"speaker\":\"spk_2\",\"confidence\":0.5}]}",
        "{\"type\":\"error\",\"status\":\"error\",\"message\":\"transient\"}",
        "{\"status\":\"error\",\"error\":{\"message\":\"old shape\",\"code\":\"E1\"}}",
        "{\"type\":\"error\",\"error_code\":\"LANGUAGE_NOT_ENABLED_IN_REGION\",\"message\":\"use the US host\"}")) {
      emulator.sendRaw(frame).await();
    }
    assertEquals(new PulseEvent.Partial("no type", List.of()), events.take());
    assertEquals(new PulseEvent.Partial("both", List.of()), events.take());
    assertEquals(new PulseEvent.Final("old final", List.of(new PulseEvent.Word("old", 0.1, 0.2, Double.NaN, "1"),
        new PulseEvent.Word("final", 0.2, 0.4, 0.5, "spk_2")), false, false, null), events.take());
    AgentException fatal = events.take(PulseEvent.Failed.class).error();
    assertEquals(ErrorKind.INVALID_REQUEST, fatal.kind());
    assertEquals("LANGUAGE_NOT_ENABLED_IN_REGION", fatal.code());
    events.assertEmpty();
  }
}
