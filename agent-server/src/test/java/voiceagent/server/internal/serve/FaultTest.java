package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.audio.AudioFormat;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;
import voiceagent.testkit.electron.ElectronReply;

/**
 * Fifty calls while the upstreams fail: Pulse sockets killed mid-utterance, Lightning sockets killed mid-reply,
 * Electron answering 503. Every call either gets an answer or ends after a spoken apology; none hangs; afterwards no
 * call, socket or Electron request is left.
 */
class FaultTest {
  private static final int CALLS = 50;

  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  @Test
  void fiftyCallsThroughUpstreamFaultsEachRecoverOrApologiseAndNothingLeaks() throws Exception {
    h.start();
    oneCall(h.dial(CallerProtocol.TWILIO)); // warms up the static lines, the tokenizer and the connection pools
    ServeHarness.await(h.app.server().callsEnded());
    long fdsBefore = openFileDescriptors();

    Upstreams.Emulators emulators = h.app.upstreams().emulators();
    for (int i = 0; i < 12; i++) emulators.electron().enqueue(ElectronReply.status(503));
    for (int i = 0; i < 8; i++) emulators.lightning().closeMidStream(1);
    List<CarrierCaller> callers = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      // Each fault applies to the next Pulse connection: every fifth call's speech socket dies mid-utterance.
      if (i % 5 == 0) emulators.pulse().closeAfterBytes(AudioFormat.MULAW_8K.bytesFor(300));
      callers.add(h.dial(CallerProtocol.TWILIO, ServeHarness.authorized(CallerProtocol.TWILIO,
          CallerOptions.defaults(CallerProtocol.TWILIO).withIds("MZ-" + i, "CA-" + i))));
    }
    int answered = 0;
    int apologised = 0;
    for (CarrierCaller c : callers) {
      if (oneCall(c)) answered++;
      else apologised++;
    }
    ServeHarness.await(h.app.server().callsEnded());

    assertEquals(CALLS, answered + apologised);
    assertEquals(0, h.app.server().liveCalls());
    assertEquals(0, h.app.server().openSockets());
    assertEquals(0, h.app.electronInFlight());
    long fdsAfter = openFileDescriptors();
    // Pooled upstream connections may stay open (keep-alive); sockets per call would be dozens.
    assertTrue(fdsAfter <= fdsBefore + 10, "file descriptors " + fdsBefore + " -> " + fdsAfter);
  }

  /**
   * One call: the greeting, a question, then either the answer's mark (true) or the call ended by the agent after
   * speaking (false: the apology); then the caller hangs up.
   */
  private static boolean oneCall(CarrierCaller caller) throws Exception {
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    long beforeQuestion = caller.receivedAudioBytes();
    ServeHarness.await(caller.sendAudio(CallerAudio.utterance(AudioFormat.MULAW_8K, 600), false));
    CallerEvent outcome = next(caller);
    long spoken = caller.receivedAudioBytes() - beforeQuestion;
    assertTrue(spoken > 0, "the call " + caller.options().callId() + " went silent: " + outcome);
    if (outcome instanceof CallerEvent.Closed) return false;
    ServeHarness.await(caller.hangUp());
    return true;
  }

  private static CallerEvent next(CarrierCaller caller) throws InterruptedException {
    while (true) {
      CallerEvent e = caller.next(ServeHarness.WAIT);
      if (e instanceof CallerEvent.Mark || e instanceof CallerEvent.Closed) return e;
    }
  }

  private static long openFileDescriptors() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getOpenFileDescriptorCount() : 0;
  }
}
