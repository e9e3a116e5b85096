package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.carrier.CodecAssertions.ramp;
import static voiceagent.core.carrier.TransportHarness.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import voiceagent.audio.AudioFormat;
import voiceagent.core.carrier.TransportHarness.Sink;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CarrierCaller;

/** Each carrier's transport over a real loopback WebSocket, driven by the scripted carrier caller. */
class CarrierTransportTest {
  static final Duration SAFETY = Duration.ofSeconds(TransportHarness.SAFETY_SECONDS);

  private final TransportHarness h;

  CarrierTransportTest() throws Exception {
    h = new TransportHarness();
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Carrier.class)
  void aScriptedCallReachesTheSinkInOrderAndAgentAudioArrivesInTheCarriersFormat(Carrier carrier) throws Exception {
    CarrierCaller caller = h.dial(carrier);
    TransportHarness.Live live = h.live();
    AudioFormat format = caller.options().format();
    assertEquals(format, live.transport().inputFormat());
    assertEquals(format, live.transport().outputFormat());
    assertEquals(carrier != Carrier.VONAGE, live.transport().acknowledgesPlayback());

    int frame = format.bytesFor(caller.options().protocol().frameMillis());
    byte[] speech = ramp(3 * frame);
    await(caller.sendAudio(speech, false));
    assertArrayEquals(speech, live.sink().audio(speech.length));
    await(caller.sendDtmf("5"));
    assertEquals(new Sink.Dtmf("5"), live.sink().next());

    byte[] reply = ramp(format.bytesFor(40));
    live.run(t -> {
      t.sendAudio(reply, 0, reply.length / 2);
      t.sendAudio(reply, reply.length / 2, reply.length / 2);
      t.sendMark("m1");
    });
    if (carrier == Carrier.VONAGE) {
      assertEquals(new CallerEvent.Audio(format.bytesFor(20)), caller.next(SAFETY));
      assertEquals(new CallerEvent.Audio(format.bytesFor(20)), caller.next(SAFETY));
    } else {
      assertEquals(new CallerEvent.Mark("m1"), caller.next(CallerEvent.Mark.class, SAFETY));
      assertEquals(new Sink.Mark("m1"), live.sink().next());
    }
    byte[] heard = caller.receivedAudio();
    assertArrayEquals(reply, Arrays.copyOf(heard, reply.length));
    // Exotel's last chunk is padded with silence to its 3,200-byte minimum; every other carrier gets exactly the audio.
    assertEquals(carrier == Carrier.EXOTEL ? 3200 : reply.length, heard.length);
    assertEquals(List.of(), violations(caller));

    await(caller.hangUp());
    assertTrue(live.sink().next(Sink.HangUp.class).reason().startsWith(
        carrier == Carrier.TWILIO || carrier == Carrier.TELNYX || carrier == Carrier.EXOTEL ? "carrier stopped"
            : "socket closed"));
  }

  @ParameterizedTest
  @EnumSource(value = Carrier.class, names = {"TWILIO", "TELNYX", "PLIVO", "EXOTEL"})
  void aClearIsReportedOnceAndTheMarksItFlushedAreNotReportedAsPlayed(Carrier carrier) throws Exception {
    CarrierCaller caller = h.dial(carrier, CallerOptions.defaults(TransportHarness.protocol(carrier))
        .withRealTimePlayback(true));
    TransportHarness.Live live = h.live();
    AudioFormat format = live.transport().outputFormat();
    // Ten seconds of agent audio: the carrier still plays it when the caller barges in.
    byte[] frame = new byte[format.bytesFor(20)];
    live.run(t -> {
      for (int i = 0; i < 500; i++) t.sendAudio(frame, 0, frame.length);
      t.sendMark("sentence-1");
    });
    assertEquals(new CallerEvent.Mark("sentence-1"), caller.next(CallerEvent.Mark.class, SAFETY));

    live.run(CarrierTransport::clear);
    caller.next(CallerEvent.Clear.class, SAFETY);
    assertEquals(new Sink.Cleared(), live.sink().next());
    await(caller.sendDtmf("1"));
    assertEquals(new Sink.Dtmf("1"), live.sink().next(), "the flushed mark was not reported as played");
    if (carrier != Carrier.PLIVO) assertEquals(List.of("sentence-1"), caller.echoedMarks(), "the carrier flushed it");
    assertEquals(List.of(), violations(caller));
  }

  @Test
  void vonageClearIsTheActionMessageAndPlaybackIsLeftToThePacingClock() throws Exception {
    CarrierCaller caller = h.dial(Carrier.VONAGE);
    TransportHarness.Live live = h.live();
    assertFalse(live.transport().acknowledgesPlayback());
    live.run(t -> {
      t.sendMark("ignored");
      t.clear();
    });
    caller.next(CallerEvent.Clear.class, SAFETY);
    await(caller.sendDtmf("2"));
    assertEquals(new Sink.Dtmf("2"), live.sink().next(), "no cleared or mark event: the session synthesises them");
    assertEquals(List.of(), violations(caller));
  }

  @Test
  void vonageAudioIsSentInWholeTwentyMillisecondFramesWhateverTheSessionWrites() throws Exception {
    CarrierCaller caller = h.dial(Carrier.VONAGE);
    TransportHarness.Live live = h.live();
    byte[] reply = ramp(640 * 2 + 100);
    live.run(t -> {
      t.sendAudio(reply, 0, 700);
      t.sendAudio(reply, 700, reply.length - 700);
      t.sendMark("end"); // pads the partial last frame with silence
    });
    for (int i = 0; i < 3; i++) assertEquals(new CallerEvent.Audio(640), caller.next(SAFETY));
    byte[] heard = caller.receivedAudio();
    assertArrayEquals(reply, Arrays.copyOf(heard, reply.length));
    assertArrayEquals(new byte[640 - 100], Arrays.copyOfRange(heard, reply.length, 640 * 3));
    assertEquals(List.of(), violations(caller));
  }

  @Test
  void exotelAudioIsSentInMultiplesOfThreeHundredTwentyBytes() throws Exception {
    CarrierCaller caller = h.dial(Carrier.EXOTEL);
    TransportHarness.Live live = h.live();
    byte[] frame = ramp(320);
    live.run(t -> {
      for (int i = 0; i < 12; i++) t.sendAudio(frame, 0, 320); // 3,840 bytes: a 3,200-byte chunk, 640 wait
      t.sendMark("m");
    });
    assertEquals(new CallerEvent.Audio(3200), caller.next(SAFETY));
    assertEquals(new CallerEvent.Audio(3200), caller.next(SAFETY), "the rest, padded to the minimum at the mark");
    byte[] heard = caller.receivedAudio();
    assertArrayEquals(frame, Arrays.copyOfRange(heard, 3520, 3840));
    assertArrayEquals(new byte[2560], Arrays.copyOfRange(heard, 3840, 6400), "padded with silence");
    assertEquals(new CallerEvent.Mark("m"), caller.next(SAFETY));
    assertEquals(List.of(), violations(caller));
  }

  @Test
  void echoesOfMarksNeverSentAreIgnored() throws Exception {
    CarrierCaller caller = h.dial(Carrier.TWILIO);
    TransportHarness.Live live = h.live();
    await(caller.sendRaw("{\"event\":\"mark\",\"sequenceNumber\":\"9\",\"streamSid\":\"MZ-test-stream\","
        + "\"mark\":{\"name\":\"ghost\"}}"));
    await(caller.sendDtmf("3"));
    assertEquals(new Sink.Dtmf("3"), live.sink().next());
  }

  @Test
  void aRepeatedMediaChunkIsDroppedAndALateOneStillDelivered() throws Exception {
    CarrierCaller caller = h.dial(Carrier.TELNYX);
    TransportHarness.Live live = h.live();
    for (int chunk : new int[] {1, 3, 3, 2, 1}) {
      byte[] audio = new byte[160];
      java.util.Arrays.fill(audio, (byte) chunk);
      await(caller.sendRaw("{\"event\":\"media\",\"stream_id\":\"MZ-test-stream\",\"media\":{\"chunk\":\"" + chunk
          + "\",\"payload\":\"" + CodecAssertions.b64(audio) + "\"}}"));
    }
    await(caller.sendDtmf("4"));
    assertEquals(1, live.sink().next(Sink.Audio.class).bytes()[0]);
    assertEquals(3, live.sink().next(Sink.Audio.class).bytes()[0]);
    assertEquals(2, live.sink().next(Sink.Audio.class).bytes()[0], "late, not lost");
    assertEquals(new Sink.Dtmf("4"), live.sink().next(), "the repeats of 3 and 1 were dropped");
  }

  @Test
  void theAgentHangingUpClosesTheSocketNormally() throws Exception {
    CarrierCaller caller = h.dial(Carrier.TWILIO);
    TransportHarness.Live live = h.live();
    live.run(t -> t.hangUp("goodbye played"));
    assertEquals(1000, caller.next(CallerEvent.Closed.class, SAFETY).code());
  }

  static List<CallerEvent> violations(CarrierCaller caller) {
    return caller.drainEvents().stream().filter(e -> e instanceof CallerEvent.Violation).toList();
  }
}
