package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;

/**
 * What carriers (or anyone) may send wrong: each bad message on its own call is logged with what was wrong and
 * skipped, the call goes on; a run of garbage ends only that call; a well-formed call right after gets its greeting.
 */
class BadInputTest {
  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  @Test
  void garbageUnknownEventsBadBase64AndWrongBinarySizesAreLoggedAndSkipped() throws Exception {
    h.start();
    try (LogCapture logs = new LogCapture()) {
      skipped(CallerProtocol.TWILIO, "{\"event\":\"media\",\"media\":{\"payload\":", null);
      skipped(CallerProtocol.TWILIO, "{\"event\":\"surprise\",\"streamSid\":\"MZ-test-stream\"}", null);
      skipped(CallerProtocol.TWILIO, "{\"event\":\"media\",\"streamSid\":\"MZ-test-stream\",\"media\":{\"track\":"
          + "\"inbound\",\"chunk\":\"1\",\"timestamp\":\"0\",\"payload\":\"!!not*base64!!\"}}", null);
      skipped(CallerProtocol.VONAGE, null, new byte[] {1, 2, 3});
      String log = logs.all();
      assertTrue(log.contains("problem=BAD_JSON"), log);
      assertTrue(log.contains("problem=UNKNOWN_EVENT detail=event=\"surprise\" is unknown"), log);
      assertTrue(log.contains("problem=BAD_BASE64"), log);
      assertTrue(log.contains("problem=BAD_BINARY"), log);
      // Every line names its call: the carrier's call id, or the connection's where the carrier gives none (Vonage).
      assertTrue(logs.lines().stream().allMatch(l -> l.contains("call_id=")), log);
    }
    CarrierCaller next = h.dial(CallerProtocol.TWILIO);
    assertTrue(next.next(ServeHarness.WAIT) instanceof CallerEvent.Audio, "no greeting for the next call");
  }

  @Test
  void aRunOfGarbageEndsOnlyThatCall() throws Exception {
    h.start();
    CarrierCaller bystander = h.dial(CallerProtocol.TELNYX);
    CarrierCaller flooder = h.dial(CallerProtocol.TWILIO);
    assertTrue(flooder.next(ServeHarness.WAIT) instanceof CallerEvent.Audio);
    for (int i = 0; i < 30; i++) flooder.sendRaw("garbage " + i);
    CallerEvent.Closed closed = flooder.next(CallerEvent.Closed.class, ServeHarness.WAIT);
    assertEquals(1007, closed.code());
    // The other call still talks: its greeting came, and a key press still reaches the model.
    bystander.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    ServeHarness.await(bystander.sendDtmf("7"));
    assertEquals("[The caller pressed the keys: 7]", h.app.upstreams().emulators().electron()
        .takeRequest(20, java.util.concurrent.TimeUnit.SECONDS).lastUserText());
    assertEquals(1, h.app.server().liveCalls());
  }

  /** On a call of its own: sends one bad message, then proves the call goes on (a key press reaches the model). */
  private void skipped(CallerProtocol p, String text, byte[] binary) throws Exception {
    CarrierCaller caller = h.dial(p);
    assertTrue(caller.next(ServeHarness.WAIT) instanceof CallerEvent.Audio);
    ServeHarness.await(text != null ? caller.sendRaw(text) : caller.sendRawBinary(binary));
    ServeHarness.await(caller.sendDtmf("1"));
    assertEquals("[The caller pressed the keys: 1]", h.app.upstreams().emulators().electron()
        .takeRequest(20, java.util.concurrent.TimeUnit.SECONDS).lastUserText());
    ServeHarness.await(caller.hangUp());
    ServeHarness.await(h.app.server().callsEnded());
  }
}
