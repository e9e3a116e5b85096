package voiceagent.samples.callcenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voiceagent.audio.MuLaw;
import voiceagent.core.CallEvent;
import voiceagent.core.spi.MediaTransport;
import voiceagent.testkit.ManualClock;

/** The WAV line's far end in virtual time: marks after playback, clear at once, the caller's turn, the recording. */
class WavCallTransportTest {
  private static final int FRAME = 160;
  private final ManualClock clock = new ManualClock();
  private final List<String> reported = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Context context;
  private WavCallTransport line;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    line = WavCallTransport.create(clock, List.of(tone(300)), -1);
    onLoop(() -> line.start(new Sink()));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await();
  }

  @Test
  void markIsReportedOnceTheAudioBeforeItHasPlayed() throws Exception {
    onLoop(() -> {
      line.sendAudio(tone(60), 0, 3 * FRAME);
      line.sendMark("m1");
    });
    ticks(3); // the three frames play during these ticks
    assertEquals(List.of(), reported.stream().filter(r -> r.startsWith("mark")).toList());
    ticks(1);
    assertEquals(List.of("mark m1"), reported.stream().filter(r -> r.startsWith("mark")).toList());
  }

  @Test
  void clearDropsQueuedAudioAtOnceAndIsConfirmed() throws Exception {
    onLoop(() -> {
      line.sendAudio(tone(200), 0, 10 * FRAME);
      line.sendMark("end");
    });
    ticks(2);
    onLoop(line::clear);
    ticks(4);
    onLoop(() -> line.hangUp("test"));
    byte[] stereo = line.recording().get(5, TimeUnit.SECONDS);
    assertEquals(6 * FRAME * 4, stereo.length); // six 20 ms ticks, 16-bit stereo
    assertTrue(loud(stereo, 1, 0, 2 * FRAME), "the two frames before the clear played");
    assertEquals(0, peak(stereo, 1, 2 * FRAME, 6 * FRAME), "agent audio after the clear");
    assertTrue(reported.contains("cleared") && !reported.contains("mark end"), reported.toString());
  }

  @Test
  void callerSpeaksOnTheLeftAfterTheCallStartedAndHangsUpAfterTheReplyPlayed() throws Exception {
    line.onEvent(new CallEvent.CallStarted(0, "c", "passthrough", "mulaw-table"));
    ticks(25 + 15 + 1); // the pause before the question, the 300 ms question, one more tick
    assertTrue(reported.stream().noneMatch(r -> r.equals("hangup")), reported.toString());
    line.onEvent(new CallEvent.TurnStarted(900, 1, "hello"));
    onLoop(() -> line.sendAudio(tone(100), 0, 5 * FRAME));
    line.onEvent(new CallEvent.SpeechSynthesized(910, 1, "Hi.", CallEvent.SpeechKind.REPLY, 100));
    line.onEvent(new CallEvent.TurnEnded(920, 1, "completed"));
    line.onEvent(new CallEvent.SpeechPlayed(1000, 1, "Hi.", CallEvent.SpeechKind.REPLY));
    ticks(5 + 25 + 1); // the reply plays, then the caller's pause after it
    assertTrue(reported.contains("hangup"), reported.toString());
    byte[] stereo = line.recording().get(5, TimeUnit.SECONDS);
    assertEquals(0, peak(stereo, 0, 0, 25 * FRAME), "caller silent before the question");
    assertTrue(loud(stereo, 0, 25 * FRAME, 40 * FRAME), "the question on the left");
    assertTrue(loud(stereo, 1, 41 * FRAME, 46 * FRAME), "the reply on the right");
    assertEquals(List.of(new WavCallTransport.Utterance(0, 500, 800, -1)), line.utterances());
  }

  private void ticks(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      clock.advance(20);
      onLoop(() -> { });
    }
  }

  private void onLoop(Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      r.run();
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  private static byte[] tone(int millis) {
    byte[] b = new byte[8 * millis];
    for (int i = 0; i < b.length; i++) b[i] = MuLaw.encode((short) (8000 * Math.sin(2 * Math.PI * 400 * i / 8000.0)));
    return b;
  }

  /** Largest absolute sample of {@code channel} over sample frames {@code [from, to)}. */
  private static int peak(byte[] stereo, int channel, int from, int to) {
    int max = 0;
    for (int i = from; i < Math.min(to, stereo.length / 4); i++) {
      int at = 4 * i + 2 * channel;
      max = Math.max(max, Math.abs((short) ((stereo[at] & 0xFF) | (stereo[at + 1] << 8))));
    }
    return max;
  }

  private static boolean loud(byte[] stereo, int channel, int from, int to) {
    return peak(stereo, channel, from, to) > 4000;
  }

  /** Records what the line reports to the session. */
  private final class Sink implements MediaTransport.TransportSink {
    @Override
    public void onAudio(byte[] data, int off, int len) {
      // the caller's audio is checked on the recording
    }

    @Override
    public void onMarkPlayed(String name) {
      reported.add("mark " + name);
    }

    @Override
    public void onCleared() {
      reported.add("cleared");
    }

    @Override
    public void onDtmf(String digits) {
      reported.add("dtmf " + digits);
    }

    @Override
    public void onHangUp(String reason) {
      reported.add("hangup");
    }
  }
}
