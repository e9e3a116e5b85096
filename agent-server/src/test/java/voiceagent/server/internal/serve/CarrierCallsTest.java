package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import voiceagent.audio.AudioFormat;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronReply;

/**
 * Each carrier end to end through {@code serve}: the greeting arrives in the carrier's format without the caller
 * speaking, a question gets an answer, marks come back, the caller talking over a reply gets the carrier's clear
 * within a second of speech, none of the interrupted reply after it and an answer once they stop, and a key press
 * reaches the model.
 */
class CarrierCallsTest {
  /** Sixty high-tone words (7.2 s): the reply the caller interrupts. */
  private static final String LONG_REPLY = "zebra ".repeat(60).strip();

  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  @ParameterizedTest
  @EnumSource(CallerProtocol.class)
  void callGreetsAnswersIsInterruptedAndTakesKeys(CallerProtocol protocol) throws Exception {
    h.start();
    ElectronEmulator electron = h.app.upstreams().emulators().electron();
    electron.enqueue(ElectronReply.text(LONG_REPLY), ElectronReply.text("Sure, Tokyo is sunny."),
        ElectronReply.text("Got it."));
    CarrierCaller caller = h.dial(protocol);
    AudioFormat format = caller.options().format();
    AtomicInteger clearAt = new AtomicInteger(-1);
    AtomicLong bytesAtClear = new AtomicLong();
    caller.onEvent(e -> {
      if (e instanceof CallerEvent.Clear && clearAt.get() < 0) {
        bytesAtClear.set(caller.receivedAudioBytes());
        clearAt.set(caller.receivedAudio().length);
      }
    });
    boolean marks = protocol != CallerProtocol.VONAGE;

    // Greeting: audio first, before the caller said anything, then (where the carrier has them) its mark.
    assertTrue(caller.next(ServeHarness.WAIT) instanceof CallerEvent.Audio);
    if (marks) caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);

    // A question gets the (long) answer.
    h.app.upstreams().emulators().pulse().expectUtterances("tell me a long story", "stop please tell me about Tokyo");
    ServeHarness.await(caller.sendAudio(CallerAudio.utterance(format, 800), true));
    assertEquals("tell me a long story", electron.takeRequest(20, TimeUnit.SECONDS).lastUserText());
    caller.next(CallerEvent.Audio.class, ServeHarness.WAIT);
    long bytesAtBargeIn = caller.receivedAudioBytes();

    // The caller talks over it: the clear comes within a second of their speech (measured in agent audio sent).
    caller.sendAudio(CallerAudio.utterance(format, 1200), true);
    caller.next(CallerEvent.Clear.class, ServeHarness.WAIT);
    long talkedOver = bytesAtClear.get() - bytesAtBargeIn;
    assertTrue(talkedOver <= format.bytesFor(1000), "agent audio while the caller talked: " + talkedOver + " bytes");
    assertEquals("stop please tell me about Tokyo", electron.takeRequest(20, TimeUnit.SECONDS).lastUserText());
    int answerBytes = format.bytesFor(4 * 100); // four words of the answer, tone only
    while (caller.receivedAudio().length - clearAt.get() < answerBytes) {
      caller.next(CallerEvent.Audio.class, ServeHarness.WAIT);
    }

    // A key press reaches the model as a user turn.
    ServeHarness.await(caller.sendDtmf("5"));
    assertEquals("[The caller pressed the keys: 5]", electron.takeRequest(20, TimeUnit.SECONDS).lastUserText());
    if (marks) caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);

    ServeHarness.await(caller.hangUp());
    ServeHarness.await(h.app.server().callsEnded());
    byte[] audio = caller.receivedAudio();
    assertTrue(CallerAudio.windowsAtOrAbove(format, audio, 0, BeepVoice.HIGH_HZ) > 0, "the long reply never played");
    assertEquals(0, CallerAudio.windowsAtOrAbove(format, audio, clearAt.get(), BeepVoice.HIGH_HZ),
        "the interrupted reply went on after the clear");
    List<CallerEvent> rest = caller.drainEvents();
    assertTrue(rest.stream().noneMatch(e -> e instanceof CallerEvent.Violation), rest.toString());
    if (marks) assertFalse(caller.echoedMarks().isEmpty());
  }
}
