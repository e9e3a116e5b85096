package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.audio.AudioFormat;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;
import voiceagent.testkit.electron.RecordedRequest;

class TwilioCallTest {
  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  @Test
  void twilioCallHearsTheGreetingThenAnAnswerToItsQuestion() throws Exception {
    h.start();
    CarrierCaller caller = h.dial(CallerProtocol.TWILIO);
    // The greeting plays before the caller says anything: audio, then the mark that ends it.
    CallerEvent first = caller.next(ServeHarness.WAIT);
    assertTrue(first instanceof CallerEvent.Audio, "first event " + first);
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    long greetingBytes = caller.receivedAudioBytes();
    assertTrue(greetingBytes >= AudioFormat.MULAW_8K.bytesFor(200), "greeting bytes " + greetingBytes);

    h.app.upstreams().emulators().pulse().expectUtterances("what's the weather in Paris");
    ServeHarness.await(caller.sendAudio(CallerAudio.utterance(AudioFormat.MULAW_8K, 800), true));
    RecordedRequest request = h.app.upstreams().emulators().electron().takeRequest(20, TimeUnit.SECONDS);
    assertEquals("what's the weather in Paris", request.lastUserText());
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    assertTrue(caller.receivedAudioBytes() > greetingBytes, "no answer audio after the greeting");

    ServeHarness.await(caller.hangUp());
    List<CallerEvent> rest = caller.drainEvents();
    assertTrue(rest.stream().noneMatch(e -> e instanceof CallerEvent.Violation), rest.toString());
    ServeHarness.await(h.app.server().callsEnded());
    assertEquals(0, h.app.server().liveCalls());
  }
}
