package voiceagent.testkit.carrier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A scripted telephone carrier: dials a media-stream URL the way Twilio, Telnyx, Plivo, Vonage or Exotel would, sends
 * the stream's start, streams the caller's audio (paced in real time or as fast as asked), and behaves like the
 * carrier's playback buffer: it echoes marks once the audio before them has played (at real time, or at once), empties
 * on clear (returning pending marks or acknowledging as the carrier does), and records the agent's audio, marks, clears
 * and any message the real carrier would reject.
 *
 * <p>For server tests and the load generator; it needs no runtime types, only the wire protocols.
 *
 * <p>Thread contract: thread-safe. Protocol state lives on the socket's context (public methods hop there); the
 * recordings are safe to read from any thread; the {@link #onEvent listener} runs on the socket's context.
 */
public final class CarrierCaller {
  private final CallerOptions options;
  private final CallerWire wire;
  private final Vertx vertx;
  private final WebSocketClient ownClient;
  private final LinkedBlockingQueue<CallerEvent> events = new LinkedBlockingQueue<>();
  private final AtomicLong audioBytes = new AtomicLong();
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream(); // guarded by itself
  private final List<String> echoed = new ArrayList<>(); // guarded by itself
  private final Promise<Void> closed = Promise.promise();
  private volatile Consumer<CallerEvent> listener = e -> { };
  private WebSocket socket;
  private Context context;

  // Confined to the socket's context.
  private long seq = 1;
  private long chunk;
  private long streamMillis;
  /** When the carrier's buffer will have played everything received so far (nanoTime); real-time playback only. */
  private long bufferedUntil;
  /** Marks waiting for their audio to play: name → timer id. */
  private final Map<String, Long> pendingMarks = new LinkedHashMap<>();

  private CarrierCaller(Vertx vertx, CallerOptions options, WebSocketClient ownClient) {
    this.vertx = vertx;
    this.options = options;
    this.wire = new CallerWire(options);
    this.ownClient = ownClient;
  }

  /** Dials {@code url} ({@code ws://host:port/path?query}) with a client of its own and starts the stream. */
  public static Future<CarrierCaller> connect(Vertx vertx, String url, CallerOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    return connect(vertx, client, url, options, client).onFailure(e -> client.close());
  }

  /** Dials with a shared client (load tests: one client for many callers). */
  public static Future<CarrierCaller> connect(Vertx vertx, WebSocketClient client, String url, CallerOptions options) {
    return connect(vertx, client, url, options, null);
  }

  private static Future<CarrierCaller> connect(Vertx vertx, WebSocketClient client, String url, CallerOptions options,
      WebSocketClient own) {
    CarrierCaller caller = new CarrierCaller(vertx, options, own);
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setAbsoluteURI(url);
    options.headers().forEach(connect::addHeader);
    return client.connect(connect).map(ws -> {
      caller.attach(ws);
      return caller;
    });
  }

  private void attach(WebSocket ws) {
    socket = ws;
    context = vertx.getOrCreateContext();
    ws.textMessageHandler(t -> onIn(read(t), t));
    ws.binaryMessageHandler(b -> onIn(wire.readBinary(b.getBytes()), null));
    ws.closeHandler(v -> {
      Short code = ws.closeStatusCode();
      record(new CallerEvent.Closed(code == null ? 1006 : code, ws.closeReason()));
      pendingMarks.values().forEach(vertx::cancelTimer);
      if (ownClient != null) ownClient.close();
      closed.tryComplete();
    });
    for (String m : wire.opening()) ws.writeTextMessage(m);
    seq = 2;
  }

  /** Called on the socket's context for every event, in order (before it is recorded). */
  public CarrierCaller onEvent(Consumer<CallerEvent> listener) {
    this.listener = listener;
    return this;
  }

  public CallerOptions options() {
    return options;
  }

  /**
   * Streams {@code audio} (in the stream's format) as the carrier's media messages of {@link CallerProtocol#frameMillis}
   * each, the last one padded with silence; {@code realTime} paces them by absolute deadlines, else all at once.
   * Completes when the last one is written.
   */
  public Future<Void> sendAudio(byte[] audio, boolean realTime) {
    int frame = options.format().bytesFor(options.protocol().frameMillis());
    List<byte[]> frames = new ArrayList<>();
    for (int off = 0; off < audio.length; off += frame) {
      byte[] f = Arrays.copyOfRange(audio, off, off + frame); // pads the last one with zeros
      if (off + frame > audio.length && options.format().encoding() == voiceagent.audio.AudioFormat.Encoding.MULAW) {
        Arrays.fill(f, audio.length - off, frame, (byte) 0xFF);
      }
      frames.add(f);
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> sendFrames(frames, 0, System.nanoTime(), realTime, done));
    return done.future();
  }

  private void sendFrames(List<byte[]> frames, int i, long t0, boolean realTime, Promise<Void> done) {
    int frameMillis = options.protocol().frameMillis();
    while (i < frames.size()) {
      if (socket.isClosed()) {
        done.tryFail("the socket closed after " + i + " of " + frames.size() + " frames");
        return;
      }
      long due = t0 + TimeUnit.MILLISECONDS.toNanos((long) i * frameMillis);
      long wait = TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime());
      if (realTime && wait >= 1) {
        int next = i;
        vertx.setTimer(wait, id -> sendFrames(frames, next, t0, true, done));
        return;
      }
      sendFrame(CallerFrame.of(frames.get(i)));
      i++;
    }
    done.tryComplete();
  }

  /**
   * Sends one media message at once, for drivers that pace many callers from one timer (load tests). Call it on the
   * caller's {@link #context()}.
   */
  public void sendFrame(CallerFrame frame) {
    if (socket.isClosed()) return;
    CallerWire.Out out = wire.media(frame, seq++, ++chunk, streamMillis);
    streamMillis += options.protocol().frameMillis();
    if (out.binary() != null) socket.writeBinaryMessage(Buffer.buffer(out.binary()));
    else socket.writeTextMessage(out.text());
  }

  /** The context the socket's events and protocol state live on. */
  public Context context() {
    return context;
  }

  /** Sends a key press the way the carrier reports it. */
  public Future<Void> sendDtmf(String digit) {
    return onContext(() -> socket.writeTextMessage(wire.dtmf(digit, seq++)));
  }

  /** Ends the call as the carrier does: its stop message (where it has one), then the close. */
  public Future<Void> hangUp() {
    return onContext(() -> {
      String stop = wire.stop(seq++);
      Future<Void> sent = stop != null ? socket.writeTextMessage(stop) : Future.succeededFuture();
      return sent.compose(v -> socket.close());
    });
  }

  /** Sends any text, for fault tests (garbage JSON, unknown events, bad base64). */
  public Future<Void> sendRaw(String text) {
    return onContext(() -> socket.writeTextMessage(text));
  }

  /** Sends any binary frame, for fault tests. */
  public Future<Void> sendRawBinary(byte[] data) {
    return onContext(() -> socket.writeBinaryMessage(Buffer.buffer(data)));
  }

  private Future<Void> onContext(java.util.function.Supplier<Future<Void>> action) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(p));
    return p.future();
  }

  /** Strict reading when recording (tests), a scan when not (load tests: no JSON tree or decode per frame). */
  private CallerWire.In read(String text) {
    CallerWire.In scanned = options.recordEvents() ? null : wire.scanText(text);
    return scanned != null ? scanned : wire.readText(text);
  }

  private void onIn(CallerWire.In in, String text) {
    switch (in.kind()) {
      case MEDIA -> {
        long now = System.nanoTime();
        long nanos = TimeUnit.MILLISECONDS.toNanos(options.format().millisFor(in.audioBytes()));
        bufferedUntil = Math.max(bufferedUntil, now) + nanos;
        audioBytes.addAndGet(in.audioBytes());
        if (options.recordEvents() && in.audio() != null) {
          synchronized (audio) {
            audio.writeBytes(in.audio());
          }
        }
        record(new CallerEvent.Audio(in.audioBytes()));
      }
      case MARK -> {
        record(new CallerEvent.Mark(in.name()));
        long wait = TimeUnit.NANOSECONDS.toMillis(bufferedUntil - System.nanoTime());
        if (!options.realTimePlayback() || wait < 1) echo(in.name());
        else pendingMarks.put(in.name(), vertx.setTimer(wait, id -> {
          pendingMarks.remove(in.name());
          echo(in.name());
        }));
      }
      case CLEAR -> {
        record(new CallerEvent.Clear());
        bufferedUntil = System.nanoTime();
        List<String> flushed = new ArrayList<>(pendingMarks.keySet());
        pendingMarks.values().forEach(vertx::cancelTimer);
        pendingMarks.clear();
        if (wire.clearFlushesMarks()) flushed.forEach(this::echo);
        String ack = wire.clearAck(seq++);
        if (ack != null) socket.writeTextMessage(ack);
      }
      case OTHER -> record(new CallerEvent.Violation(in.violation(), text));
    }
  }

  private void echo(String name) {
    String m = wire.markEcho(name, seq++);
    if (m == null || socket.isClosed()) return;
    if (options.recordEvents()) {
      synchronized (echoed) {
        echoed.add(name);
      }
    }
    socket.writeTextMessage(m);
  }

  private void record(CallerEvent e) {
    listener.accept(e);
    if (options.recordEvents()) events.add(e);
  }

  /** The next event, or an {@link AssertionError} after {@code timeout} (a safety net, not a wait). */
  public CallerEvent next(Duration timeout) throws InterruptedException {
    CallerEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) throw new AssertionError("no caller event within " + timeout);
    return e;
  }

  /** The next event of {@code type}, skipping others (audio, typically). */
  public <T extends CallerEvent> T next(Class<T> type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      CallerEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
      if (type.isInstance(e)) return type.cast(e);
    }
  }

  /** Events received and not yet taken. */
  public List<CallerEvent> drainEvents() {
    List<CallerEvent> list = new ArrayList<>();
    events.drainTo(list);
    return list;
  }

  /** All agent audio received so far (with {@link CallerOptions#recordEvents}). */
  public byte[] receivedAudio() {
    synchronized (audio) {
      return audio.toByteArray();
    }
  }

  public long receivedAudioBytes() {
    return audioBytes.get();
  }

  /** Names of the marks echoed to the server, in order. */
  public List<String> echoedMarks() {
    synchronized (echoed) {
      return List.copyOf(echoed);
    }
  }

  /** Completes when the socket has closed, from either side. */
  public Future<Void> closed() {
    return closed.future();
  }
}
