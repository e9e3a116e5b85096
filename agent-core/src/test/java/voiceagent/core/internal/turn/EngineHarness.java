package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import voiceagent.common.Clock;
import voiceagent.common.VertxClock;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.CallLog;
import voiceagent.core.ElectronClient;
import voiceagent.core.Prices;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.tools.ToolExecutor;

/**
 * A JUnit extension that drives a {@link TurnEngine} directly, as a call session does: a Vert.x instance with the
 * blocked-thread checker at 1 s, an Electron emulator, and an engine on one event-loop context whose methods are
 * called there. Register with {@code @RegisterExtension final EngineHarness h = new EngineHarness();}.
 */
final class EngineHarness implements BeforeEachCallback, AfterEachCallback {
  Vertx vertx;
  Context context;
  ElectronEmulator emulator;
  ElectronClient electron;
  SimpleMeterRegistry meters;
  TurnEngine engine;

  @Override
  public void beforeEach(ExtensionContext extension) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(250).setMaxEventLoopExecuteTime(1000)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    context = vertx.getOrCreateContext();
    meters = new SimpleMeterRegistry();
    emulator = await(ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults().withConcurrencyLimit(20)));
    electron = ElectronClient.create(vertx, ElectronConfig.defaults().withBaseUrl(emulator.baseUrl())
        .withMaxConcurrency(20, 10_000), VertxClock.INSTANCE);
  }

  @Override
  public void afterEach(ExtensionContext extension) throws Exception {
    await(vertx.close());
  }

  /** An engine for {@code config} with real time and its own virtual-thread tool executor. */
  TurnEngine engine(AgentConfig config) throws Exception {
    return engine(config, VertxClock.INSTANCE, Executors.newVirtualThreadPerTaskExecutor());
  }

  /** An engine whose timers run on {@code clock} and whose tools run on {@code threads}. */
  TurnEngine engine(AgentConfig config, Clock clock, ExecutorService threads) throws Exception {
    return engine(config, clock, threads, Map.of());
  }

  /** An engine with per-call variables (the call-context message). */
  TurnEngine engine(AgentConfig config, Clock clock, ExecutorService threads, Map<String, String> callVariables)
      throws Exception {
    AgentRuntime runtime = new AgentRuntime(config, electron, "electron", new ToolExecutor(threads, clock),
        Prices.LAUNCH_2026_05, new TurnMetrics(meters), new AgentPrefix(meters), clock);
    engine = onLoop(() -> new TurnEngine(runtime, context, CallLog.of("call_id", "call-1"), callVariables));
    return engine;
  }

  /** Starts a turn on the loop and returns its recorder. */
  Turn start(String text) throws Exception {
    Turn t = new Turn();
    t.number = onLoop(() -> engine.startTurn(text, t));
    return t;
  }

  /** Runs {@code action} on the engine's loop and waits until it ran. */
  void run(Runnable action) throws Exception {
    onLoop(() -> {
      action.run();
      return null;
    });
  }

  <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(action.get());
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  List<JsonNode> lastRequestMessages() {
    List<JsonNode> out = new ArrayList<>();
    emulator.requests().getLast().json().get("messages").forEach(out::add);
    return out;
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** One turn's events, as the engine reports them on the loop. */
  static final class Turn implements Consumer<AgentEvent> {
    final LinkedBlockingQueue<AgentEvent> queue = new LinkedBlockingQueue<>();
    final List<AgentEvent> seen = new ArrayList<>();
    int number;

    @Override
    public void accept(AgentEvent event) {
      queue.add(event);
    }

    /** Waits for the next event of {@code type}, recording everything on the way. */
    <T extends AgentEvent> T next(Class<T> type) throws InterruptedException {
      while (true) {
        AgentEvent e = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no " + type.getSimpleName() + " within 10 s; saw " + seen);
        seen.add(e);
        if (type.isInstance(e)) return type.cast(e);
      }
    }

    /** Waits for the turn's end and returns every event it reported. */
    List<AgentEvent> finish() throws InterruptedException {
      next(AgentEvent.TurnFinished.class);
      return seen;
    }

    <T extends AgentEvent> List<T> all(Class<T> type) {
      return seen.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
