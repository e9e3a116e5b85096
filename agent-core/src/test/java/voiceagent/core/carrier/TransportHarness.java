package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import voiceagent.core.CallLog;
import voiceagent.core.spi.MediaTransport;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.ManualClock;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;

/**
 * A Vert.x server on loopback that hands each carrier socket to {@link CarrierTransport#accept} and starts the
 * transport with a recording sink, plus helpers to dial it with a {@link CarrierCaller}.
 */
final class TransportHarness implements AutoCloseable {
  static final long SAFETY_SECONDS = 10;

  final Vertx vertx = BlockedThreadGuard.newVertx();
  final ManualClock clock = new ManualClock();
  final LinkedBlockingQueue<Object> accepted = new LinkedBlockingQueue<>();
  final HttpServer server;
  CarrierLimits limits = new CarrierLimits(64 * 1024, 100_000, 25, 10_000);

  TransportHarness() throws Exception {
    server = vertx.createHttpServer().webSocketHandler(ws -> {
      Carrier carrier = Carrier.forPath(ws.path());
      Context context = Vertx.currentContext();
      Thread loop = Thread.currentThread();
      CarrierTransport.accept(ws, carrier, limits, clock, CallLog.of("test", "carrier"))
          .onSuccess(t -> {
            Sink sink = new Sink(loop);
            t.start(sink);
            accepted.add(new Live(t, sink, context));
          })
          .onFailure(accepted::add);
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(SAFETY_SECONDS, TimeUnit.SECONDS);
  }

  String url(Carrier carrier) {
    return "ws://127.0.0.1:" + server.actualPort() + carrier.path();
  }

  static CallerProtocol protocol(Carrier carrier) {
    return CallerProtocol.valueOf(carrier.name());
  }

  CarrierCaller dial(Carrier carrier, CallerOptions options) throws Exception {
    return await(CarrierCaller.connect(vertx, url(carrier), options));
  }

  CarrierCaller dial(Carrier carrier) throws Exception {
    return dial(carrier, CallerOptions.defaults(protocol(carrier)));
  }

  /** The next transport the server started (the caller's start message has arrived). */
  Live live() throws InterruptedException {
    Object o = accepted.poll(SAFETY_SECONDS, TimeUnit.SECONDS);
    assertNotNull(o, "no transport within the safety timeout");
    if (o instanceof Throwable t) throw new AssertionError("handshake failed", t);
    return (Live) o;
  }

  /** The next handshake failure. */
  Throwable failure() throws InterruptedException {
    Object o = accepted.poll(SAFETY_SECONDS, TimeUnit.SECONDS);
    assertNotNull(o, "no handshake result within the safety timeout");
    assertTrue(o instanceof Throwable, "expected a failed handshake, got " + o);
    return (Throwable) o;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(SAFETY_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }

  /** A started transport, its recording sink and its context. */
  record Live(CarrierTransport transport, Sink sink, Context context) {
    /** Runs {@code action} on the transport's context (where the session would) and waits for it. */
    void run(Consumer<CarrierTransport> action) throws Exception {
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> {
        action.accept(transport);
        done.complete();
      });
      await(done.future());
    }
  }

  /** Records what the transport reports, checking it is always on the socket's context. */
  static final class Sink implements MediaTransport.TransportSink {
    final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Thread loop;

    Sink(Thread loop) {
      this.loop = loop;
    }

    record Audio(byte[] bytes) {}

    record Mark(String name) {}

    record Cleared() {}

    record Dtmf(String digits) {}

    record HangUp(String reason) {}

    private void add(Object e) {
      events.add(Thread.currentThread() == loop ? e : "reported off the socket's event loop: " + e);
    }

    @Override
    public void onAudio(byte[] data, int off, int len) {
      add(new Audio(java.util.Arrays.copyOfRange(data, off, off + len)));
    }

    @Override
    public void onMarkPlayed(String name) {
      add(new Mark(name));
    }

    @Override
    public void onCleared() {
      add(new Cleared());
    }

    @Override
    public void onDtmf(String digits) {
      add(new Dtmf(digits));
    }

    @Override
    public void onHangUp(String reason) {
      add(new HangUp(reason));
    }

    /** The next event (safety timeout). */
    Object next() throws InterruptedException {
      Object e = events.poll(SAFETY_SECONDS, TimeUnit.SECONDS);
      assertNotNull(e, "no sink event within the safety timeout");
      return e;
    }

    <T> T next(Class<T> type) throws InterruptedException {
      Object e = next();
      assertTrue(type.isInstance(e), "expected " + type.getSimpleName() + ", got " + e);
      return type.cast(e);
    }

    /** Audio events concatenated until {@code bytes} have arrived; fails on any other event before that. */
    byte[] audio(int bytes) throws InterruptedException {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      while (out.size() < bytes) out.writeBytes(next(Audio.class).bytes());
      return out.toByteArray();
    }

    List<Object> remaining() {
      List<Object> list = new java.util.ArrayList<>();
      events.drainTo(list);
      return list;
    }
  }
}
