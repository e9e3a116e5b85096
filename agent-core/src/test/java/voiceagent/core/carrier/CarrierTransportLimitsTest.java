package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.carrier.CodecAssertions.ramp;
import static voiceagent.core.carrier.TransportHarness.await;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.core.carrier.TransportHarness.Sink;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;

/** The start handshake and the per-call limits: garbage, floods, oversized messages, a start that never comes. */
class CarrierTransportLimitsTest {
  static final Duration SAFETY = Duration.ofSeconds(TransportHarness.SAFETY_SECONDS);

  private final TransportHarness h;

  CarrierTransportLimitsTest() throws Exception {
    h = new TransportHarness();
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  @Test
  void oneMalformedMessageIsSkippedAndTheCallGoesOn() throws Exception {
    CarrierCaller caller = h.dial(Carrier.TWILIO);
    TransportHarness.Live live = h.live();
    await(caller.sendRaw("{not json"));
    await(caller.sendRaw("{\"event\":\"media\",\"media\":{\"payload\":\"!!!!\"}}"));
    await(caller.sendRaw("{\"event\":\"party\"}"));
    await(caller.sendRawBinary(new byte[160]));
    byte[] speech = ramp(160);
    await(caller.sendAudio(speech, false));
    assertArrayEquals(speech, live.sink().audio(160));
  }

  @Test
  void aRunOfGarbageEndsTheCallCleanly() throws Exception {
    CarrierCaller caller = h.dial(Carrier.TELNYX);
    TransportHarness.Live live = h.live();
    for (int i = 0; i <= h.limits.maxConsecutiveMalformed(); i++) await(caller.sendRaw("garbage " + i));
    assertEquals(1007, caller.next(CallerEvent.Closed.class, SAFETY).code());
    assertTrue(live.sink().next(Sink.HangUp.class).reason().contains("malformed"));
  }

  @Test
  void aMessageFloodEndsTheCall() throws Exception {
    h.limits = new CarrierLimits(64 * 1024, 60, 25, 10_000);
    CarrierCaller caller = h.dial(Carrier.PLIVO);
    TransportHarness.Live live = h.live();
    // The virtual clock stands still, so every message falls in one window: the start plus 60 more is one too many.
    for (int i = 0; i < 60; i++) caller.sendDtmf("1");
    for (int i = 0; i < 59; i++) assertEquals(new Sink.Dtmf("1"), live.sink().next());
    assertTrue(live.sink().next(Sink.HangUp.class).reason().contains("messages in one second"));
    assertEquals(1008, caller.next(CallerEvent.Closed.class, SAFETY).code());
  }

  @Test
  void anOversizedMessageEndsTheCall() throws Exception {
    h.limits = new CarrierLimits(4096, 100_000, 25, 10_000);
    CarrierCaller caller = h.dial(Carrier.EXOTEL, CallerOptions.defaults(CallerProtocol.EXOTEL)
        .withFormat(AudioFormat.PCM16_16K));
    TransportHarness.Live live = h.live();
    await(caller.sendAudio(new byte[3200], false)); // 100 ms of 16 kHz PCM: 4.3 KB as base64
    assertEquals(1009, caller.next(CallerEvent.Closed.class, SAFETY).code());
    assertTrue(live.sink().next(Sink.HangUp.class).reason().contains("larger than 4096"));
  }

  @Test
  void aStartThatNeverComesFailsTheHandshakeInVirtualTime() throws Exception {
    WebSocketClient client = h.vertx.createWebSocketClient();
    WebSocket ws = await(client.connect(h.server.actualPort(), "127.0.0.1", Carrier.TWILIO.path()));
    Promise<Short> closed = Promise.promise();
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    h.clock.awaitPending(1, SAFETY.toMillis());
    h.clock.advance(10_000);
    Throwable failure = h.failure();
    AgentException e = (AgentException) failure;
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("no start message within 10000 ms"), e.getMessage());
    assertEquals((short) 1008, await(closed.future()), "the server closed the silent socket");
  }

  @Test
  void aFormatTheRuntimeCannotPlayFailsTheHandshake() throws Exception {
    h.dial(Carrier.TELNYX, CallerOptions.defaults(CallerProtocol.TELNYX)
        .withFormat(new AudioFormat(AudioFormat.Encoding.ALAW, 16000, 1)));
    assertTrue(h.failure().getMessage().contains("unsupported media format"));
  }

  @Test
  void aSocketClosedBeforeTheStartFailsTheHandshake() throws Exception {
    WebSocketClient client = h.vertx.createWebSocketClient();
    WebSocket ws = await(client.connect(h.server.actualPort(), "127.0.0.1", Carrier.PLIVO.path()));
    await(ws.close());
    assertTrue(h.failure().getMessage().contains("socket closed"));
  }
}
