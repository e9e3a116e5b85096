package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import voiceagent.audio.AudioConverter;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.PulseEvent;
import voiceagent.audio.PulseListener;
import voiceagent.audio.PulseStream;
import voiceagent.audio.WavFile;

/** Shared pieces of the Pulse tests: real speech from espeak-ng, a loop to call the client on, an event recorder. */
final class PulseTestSupport {
  static final int MULAW_SILENCE = 0xFF; // μ-law code of 0
  static final int BYTES_PER_SECOND = 8000; // μ-law 8 kHz

  private PulseTestSupport() {}

  /** {@code text} spoken by espeak-ng (22050 Hz PCM16 WAV), read with WavFile and converted to μ-law 8 kHz. */
  static byte[] speak(Path dir, String text) throws IOException, InterruptedException {
    Path wav = Files.createTempFile(dir, "utterance", ".wav");
    Process p = new ProcessBuilder("espeak-ng", "-w", wav.toString(), text).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("espeak-ng failed: " + new String(output));
    }
    WavFile.Audio audio = WavFile.read(wav);
    assertEquals(new AudioFormat(AudioFormat.Encoding.PCM16_LE, 22050, 1), audio.format());
    AudioConverter converter = AudioConverter.create(audio.format(), AudioFormat.MULAW_8K);
    byte[] out = new byte[converter.maxOutputBytes(audio.data().length)];
    int n = converter.convert(audio.data(), 0, audio.data().length, out, 0);
    byte[] mulaw = java.util.Arrays.copyOf(out, n);
    assertEquals(audio.durationMillis(), mulaw.length * 1000L / BYTES_PER_SECOND, 10); // resampling keeps the length
    return mulaw;
  }

  static byte[] silence(int millis) {
    byte[] s = new byte[BYTES_PER_SECOND * millis / 1000];
    java.util.Arrays.fill(s, (byte) MULAW_SILENCE);
    return s;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  /** Runs {@code action} on {@code context} and waits for the future it returns. */
  static <T> T onLoop(Context context, Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) result.complete(ar.result());
      else result.completeExceptionally(ar.cause());
    }));
    return result.get(20, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on {@code context} and waits until it has run. */
  static void run(Context context, Runnable action) throws Exception {
    onLoop(context, () -> {
      action.run();
      return Future.succeededFuture();
    });
  }

  /** Feeds {@code audio} to {@code send} in 20 ms telephony frames, as a carrier would. */
  static void feed(PulseStream stream, byte[] audio, int from, int to) {
    for (int off = from; off < to; off += 160) stream.sendAudio(audio, off, Math.min(160, to - off));
  }

  /** Records stream events; takes wait for the next one with a safety-net timeout. */
  static final class Recorder implements PulseListener {
    private final BlockingQueue<PulseEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onEvent(PulseEvent event) {
      events.add(event);
    }

    PulseEvent take() throws InterruptedException {
      PulseEvent e = events.poll(20, TimeUnit.SECONDS);
      assertNotNull(e, "no event within 20 s");
      return e;
    }

    <T extends PulseEvent> T take(Class<T> type) throws InterruptedException {
      return assertInstanceOf(type, take());
    }

    /** Skips partials (their number depends on how the audio is split) and returns the next other event. */
    PulseEvent takeSkippingPartials() throws InterruptedException {
      PulseEvent e;
      do e = take(); while (e instanceof PulseEvent.Partial);
      return e;
    }

    void assertEmpty() {
      assertNull(events.peek(), "unexpected event");
    }
  }
}
