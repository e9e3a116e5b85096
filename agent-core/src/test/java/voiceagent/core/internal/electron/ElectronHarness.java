package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import voiceagent.common.Clock;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.ChatRequest;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.core.ElectronStream;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/** A Vert.x instance, an Electron emulator on loopback and helpers to run requests and record their events. */
final class ElectronHarness implements AutoCloseable {
  final Vertx vertx = BlockedThreadGuard.newVertx();
  final ElectronEmulator emulator;

  ElectronHarness(ElectronEmulatorOptions options) throws Exception {
    emulator = ElectronEmulator.start(vertx, options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  ElectronHarness() throws Exception {
    this(ElectronEmulatorOptions.defaults());
  }

  /** Config pointed at the emulator, without jitter so back-off schedules are exact. */
  ElectronConfig config() {
    return ElectronConfig.defaults().withBaseUrl(emulator.baseUrl())
        .withRetry(new ElectronConfig.RetryConfig(5, 250, 8000, 0));
  }

  ElectronClient client(ElectronConfig config, Clock clock) {
    return ElectronClient.create(vertx, config, clock);
  }

  static ChatRequest request(String userText) {
    return ChatRequest.builder("electron").message(ChatMessage.system("You are terse.")).message(ChatMessage.user(userText))
        .build();
  }

  /** Starts a request from an event-loop context and records what it reports. */
  Recorder start(ElectronClient client, ChatRequest request) {
    Recorder r = new Recorder();
    vertx.getOrCreateContext().runOnContext(v -> r.stream = client.stream(request, CallLog.of("call_id", "test"), r));
    return r;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Collects events in order; {@link #awaitEnd()} waits for the terminal one. */
  static final class Recorder implements java.util.function.Consumer<ElectronEvent> {
    final LinkedBlockingQueue<ElectronEvent> queue = new LinkedBlockingQueue<>();
    final List<ElectronEvent> events = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    volatile ElectronStream stream;

    @Override
    public void accept(ElectronEvent event) {
      synchronized (threads) {
        threads.add(Thread.currentThread());
      }
      queue.add(event);
    }

    /** Waits for the next event of type {@code type}, recording everything seen on the way. */
    <T extends ElectronEvent> T next(Class<T> type) throws InterruptedException {
      while (true) {
        ElectronEvent e = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no " + type.getSimpleName() + " within 10 s; saw " + events);
        events.add(e);
        if (type.isInstance(e)) return type.cast(e);
      }
    }

    /** Waits for Finished or Failed and returns it. */
    ElectronEvent awaitEnd() throws InterruptedException {
      while (true) {
        ElectronEvent e = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no terminal event within 10 s; saw " + events);
        events.add(e);
        if (e instanceof ElectronEvent.Finished || e instanceof ElectronEvent.Failed) return e;
      }
    }

    String text() {
      StringBuilder s = new StringBuilder();
      for (ElectronEvent e : events) if (e instanceof ElectronEvent.TextDelta t) s.append(t.text());
      return s.toString();
    }

    List<ElectronEvent.ToolCallReady> toolCalls() {
      return events.stream().filter(e -> e instanceof ElectronEvent.ToolCallReady)
          .map(e -> (ElectronEvent.ToolCallReady) e).toList();
    }
  }
}
