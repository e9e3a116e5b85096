package voiceagent.core.session;

import io.vertx.core.Context;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import voiceagent.audio.AudioFormat;
import voiceagent.common.Clock;
import voiceagent.core.spi.MediaTransport;

/**
 * An in-test transport: feeds caller audio to the session and records what the agent sends — audio bytes, marks,
 * clears, hang-up — each with the virtual time it happened. With {@code acknowledges}, it plays like a carrier: audio
 * plays in real (virtual) time, a mark is reported when the audio before it has played, and a clear is confirmed.
 *
 * <p>Thread contract: the transport methods run on the call's loop; the recording is read by the test thread under
 * the monitor.
 */
final class TestTransport implements MediaTransport {
  private final AudioFormat format;
  private final boolean acknowledges;
  private final Clock clock;
  private Context context;
  private TransportSink sink;
  private long playEndNanos;
  private final List<Clock.Cancellable> pendingMarks = new ArrayList<>();

  // Recording, guarded by this.
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
  private final List<String> log = new ArrayList<>();
  private final List<Integer> clearedAtBytes = new ArrayList<>();
  final CompletableFuture<String> hungUp = new CompletableFuture<>();

  TestTransport(AudioFormat format, boolean acknowledges, Clock clock) {
    this.format = format;
    this.acknowledges = acknowledges;
    this.clock = clock;
  }

  @Override
  public AudioFormat inputFormat() {
    return format;
  }

  @Override
  public AudioFormat outputFormat() {
    return format;
  }

  @Override
  public boolean acknowledgesPlayback() {
    return acknowledges;
  }

  @Override
  public void start(TransportSink s) {
    sink = s;
    context = io.vertx.core.Vertx.currentContext();
  }

  @Override
  public void sendAudio(byte[] data, int off, int len) {
    synchronized (this) {
      audio.write(data, off, len);
    }
    long now = clock.nanoTime();
    if (playEndNanos <= now) record("audio"); // playback starts (again) after a gap
    playEndNanos = Math.max(playEndNanos, now) + len * 1_000_000_000L / format.bytesPerSecond();
  }

  @Override
  public void sendMark(String name) {
    record("mark " + name);
    if (!acknowledges) return;
    long delay = Math.max(0, playEndNanos - clock.nanoTime()) / 1_000_000;
    pendingMarks.add(clock.schedule(context, delay, () -> {
      record("played " + name);
      sink.onMarkPlayed(name);
    }));
  }

  @Override
  public void clear() {
    synchronized (this) {
      clearedAtBytes.add(audio.size());
    }
    record("clear");
    if (!acknowledges) return;
    pendingMarks.forEach(Clock.Cancellable::cancel);
    pendingMarks.clear();
    playEndNanos = clock.nanoTime();
    context.runOnContext(v -> sink.onCleared());
  }

  @Override
  public void hangUp(String reason) {
    record("hangup " + reason);
    hungUp.complete(reason);
  }

  private synchronized void record(String what) {
    log.add(clock.nanoTime() / 1_000_000 + " " + what);
  }

  /** Feeds one chunk of caller audio on the call's loop. */
  void feed(byte[] data, int off, int len) {
    context.runOnContext(v -> sink.onAudio(data, off, len));
  }

  void dtmf(String digits) {
    context.runOnContext(v -> sink.onDtmf(digits));
  }

  void callerHangsUp() {
    context.runOnContext(v -> sink.onHangUp("caller"));
  }

  Context context() {
    return context;
  }

  synchronized int audioBytes() {
    return audio.size();
  }

  /** Audio bytes sent before each clear. */
  synchronized List<Integer> clearedAtBytes() {
    return List.copyOf(clearedAtBytes);
  }

  synchronized byte[] audio() {
    return audio.toByteArray();
  }

  /** Every mark, played mark, clear and hang-up, as {@code "<virtual ms> <what>"}, in order. */
  synchronized List<String> log() {
    return List.copyOf(log);
  }

  synchronized long count(String prefix) {
    return log.stream().filter(l -> l.substring(l.indexOf(' ') + 1).startsWith(prefix)).count();
  }
}
