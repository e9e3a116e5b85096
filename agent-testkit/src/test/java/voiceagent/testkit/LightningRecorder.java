package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningListener;

/** Records Lightning events in arrival order; the test thread takes them with a safety-net timeout. */
final class LightningRecorder implements LightningListener {
  final List<LightningEvent> all = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<LightningEvent> queue = new LinkedBlockingQueue<>();
  volatile Consumer<LightningEvent> onLoop = e -> {};

  @Override
  public void onEvent(LightningEvent event) {
    all.add(event);
    onLoop.accept(event);
    queue.add(event);
  }

  LightningEvent take() throws InterruptedException {
    LightningEvent e = queue.poll(20, TimeUnit.SECONDS);
    if (e == null) fail("no Lightning event within 20 s; so far: " + all);
    return e;
  }

  /** Events up to and including the terminal event of {@code requestId}. */
  List<LightningEvent> untilTerminal(String requestId) throws InterruptedException {
    List<LightningEvent> events = new ArrayList<>();
    while (true) {
      LightningEvent e = take();
      events.add(e);
      if (e instanceof LightningEvent.Completed c && c.requestId().equals(requestId)) return events;
      if (e instanceof LightningEvent.Failed f && f.requestId().equals(requestId)) return events;
    }
  }

  static LightningEvent last(List<LightningEvent> events) {
    return events.get(events.size() - 1);
  }

  static byte[] audioOf(List<LightningEvent> events, String requestId, int sampleRate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (LightningEvent e : events) {
      if (e instanceof LightningEvent.AudioChunk c && c.requestId().equals(requestId)) {
        assertEquals(sampleRate, c.sampleRate());
        assertEquals(0, c.pcm16().length % 2, "odd chunk length");
        out.writeBytes(c.pcm16());
      }
    }
    return out.toByteArray();
  }

  /** Root mean square of little-endian PCM16: silence is near 0, speech in the thousands. */
  static double rms(byte[] pcm) {
    double sum = 0;
    int n = pcm.length / 2;
    for (int i = 0; i < n; i++) {
      short s = (short) ((pcm[2 * i + 1] << 8) | (pcm[2 * i] & 0xFF));
      sum += (double) s * s;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }

  static void assertSpeech(byte[] pcm, int sampleRate, double minSeconds, double maxSeconds) {
    double seconds = pcm.length / 2.0 / sampleRate;
    assertTrue(seconds >= minSeconds && seconds <= maxSeconds, "duration " + seconds + " s");
    assertTrue(rms(pcm) > 300, "speech energy too low: rms=" + rms(pcm));
  }
}
