package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.testkit.LightningRecorder.assertSpeech;
import static voiceagent.testkit.LightningRecorder.audioOf;
import static voiceagent.testkit.LightningRecorder.last;
import static voiceagent.testkit.LightningStreamTest.await;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningEvent;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.Secret;
import voiceagent.common.VertxClock;

/** HTTP and SSE synthesis and error mapping against the emulator over real loopback sockets. */
class LightningFallbackTest {
  private static Vertx vertx;
  private static LightningEmulator emulator;
  private LightningClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    emulator = await(LightningEmulator.start(vertx, LightningEmulatorOptions.defaults().withApiKey("right")));
  }

  @AfterAll
  static void stop() throws Exception {
    await(emulator.close());
    await(vertx.close());
  }

  @AfterEach
  void closeClient() throws Exception {
    if (client != null) await(client.close());
  }

  private LightningClient client(String key, LightningConfig base) {
    client = LightningClient.create(vertx,
        base.withBaseUrl(emulator.baseUrl()).withApiKey(Secret.ofNullable(key)), VertxClock.INSTANCE);
    return client;
  }

  @Test
  void httpReturnsPcmAtTheRequestedRate() throws Exception {
    byte[] pcm = await(client("right", LightningConfig.defaults()).synthesizeHttp("Your table is booked.", 16000));
    assertSpeech(pcm, 16000, 0.8, 4.0);
    assertEquals("pcm", emulator.received().get(emulator.received().size() - 1).getString("output_format"));
  }

  @Test
  void sseDeliversChunksThenCompleted() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningEvent.Completed done = await(client("right", LightningConfig.defaults())
        .synthesizeSse("greeting", "Welcome back.", 8000, rec));
    List<LightningEvent> events = rec.untilTerminal("greeting");
    assertEquals(done, last(events));
    byte[] pcm = audioOf(events, "greeting", 8000);
    assertEquals(pcm.length, done.audioBytes());
    assertEquals("Welcome back.".length(), done.characters());
    assertSpeech(pcm, 8000, 0.4, 3.0);
  }

  @Test
  void wrongKeyIsAnAuthenticationErrorOnEveryTransport() {
    LightningClient c = client("wrong", LightningConfig.defaults());
    assertKind(ErrorKind.AUTHENTICATION, () -> await(c.open(8000, e -> {})));
    assertKind(ErrorKind.AUTHENTICATION, () -> await(c.synthesizeHttp("Hi.", 8000)));
    LightningRecorder rec = new LightningRecorder();
    assertKind(ErrorKind.AUTHENTICATION, () -> await(c.synthesizeSse("r", "Hi.", 8000, rec)));
    assertInstanceOf(LightningEvent.Failed.class, rec.all.get(0));
  }

  @Test
  void retiredModelRouteIsANonRetriableInvalidRequestNamingTheReplacement() {
    LightningClient c = client("right", LightningConfig.defaults().withHttpPath("/waves/v1/lightning-v2/get_speech"));
    AgentException e = assertKind(ErrorKind.INVALID_REQUEST, () -> await(c.synthesizeHttp("Hi.", 8000)));
    assertEquals(410, e.status());
    assertEquals("MODEL_DEPRECATED", e.code());
    assertTrue(!e.retriable() && e.getMessage().contains("/waves/v1/tts"), e.getMessage());
  }

  @Test
  void unsupportedSampleRateIsRejectedBeforeAnyRequest() {
    LightningClient c = client("right", LightningConfig.defaults());
    AgentException e = assertKind(ErrorKind.INVALID_REQUEST, () -> await(c.open(11025, ev -> {})));
    assertTrue(e.getMessage().contains("sample_rate=11025"), e.getMessage());
  }

  private static AgentException assertKind(ErrorKind kind, org.junit.jupiter.api.function.Executable call) {
    ExecutionException wrapped = assertThrows(ExecutionException.class, call);
    AgentException e = assertInstanceOf(AgentException.class, wrapped.getCause());
    assertEquals(kind, e.kind(), e.toString());
    return e;
  }
}
