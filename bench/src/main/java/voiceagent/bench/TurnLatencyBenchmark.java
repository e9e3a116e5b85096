package voiceagent.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voiceagent.common.VertxClock;
import voiceagent.core.Agent;
import voiceagent.core.AgentConfig;
import voiceagent.core.CallLog;
import voiceagent.core.ChatRequest;
import voiceagent.core.Conversation;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.core.ElectronStream;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/**
 * The turn engine's own cost, measured end to end against the Electron emulator with zero delays on loopback:
 * <ul>
 *   <li><b>round time</b> — one round (request, stream, a tool call, the tool, the resumed request's text) divided by
 *       its two requests: everything the runtime and the loopback emulator add per request;</li>
 *   <li><b>tool dispatch latency</b> — from the moment the client has a tool call's complete arguments to the first
 *       line of the tool's body on its virtual thread.</li>
 * </ul>
 * <p>Then {@code CALLS} conversations run at once (ten turns each) and it prints turns per second and the turn time
 * under that load. Prints p50/p99/max. Run: {@code scripts/bench.sh turns [TURNS [CALLS]]}.
 */
public final class TurnLatencyBenchmark {
  private static final ConcurrentLinkedQueue<Long> READY = new ConcurrentLinkedQueue<>();

  private TurnLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int turns = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int concurrentCalls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int warmup = Math.min(500, turns / 4);
    Vertx vertx = Vertx.vertx();
    // The plan limit is not what is measured here: let every call stream at once.
    ElectronEmulator emulator = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults()
        .withConcurrencyLimit(concurrentCalls + 10)).await();
    ElectronClient real = ElectronClient.create(vertx, ElectronConfig.defaults().withBaseUrl(emulator.baseUrl())
        .withMaxConcurrency(concurrentCalls + 10, 10_000), VertxClock.INSTANCE);
    long[] dispatch = new long[turns];
    int[] calls = {0};
    // A blocking tool, the common case: dispatch includes validation, the virtual-thread start and the hop back.
    Tool lookup = Tool.builder("lookup").description("Looks a thing up.").handler(a -> {
      long started = System.nanoTime();
      Long ready = READY.poll();
      synchronized (dispatch) {
        if (ready != null && calls[0] < dispatch.length) dispatch[calls[0]++] = started - ready;
      }
      return "found";
    }).build();
    Agent agent = Agent.builder(vertx, AgentConfig.builder("You are a benchmark.").tools(ToolRegistry.of(lookup))
            .filler(null).build())
        .electron(new Timestamping(real), "electron").meterRegistry(new SimpleMeterRegistry()).start().await();
    ElectronReply call = ElectronReply.builder().toolCall("call_1", "lookup", "{}").finishReason("tool_calls").build();
    ElectronReply answer = ElectronReply.text("Found it.");
    emulator.responder(r -> r.json().path("messages").toString().contains("\"tool\"") ? answer : call);

    long[] rounds = new long[turns];
    for (int i = 0; i < turns; i++) {
      Conversation c = agent.newConversation("bench-" + i, Map.of());
      long t0 = System.nanoTime();
      c.send("look it up").blockLast(Duration.ofSeconds(10));
      rounds[i] = (System.nanoTime() - t0) / 2; // two requests per turn
    }
    report("round time per request", Arrays.copyOfRange(rounds, warmup, turns));
    synchronized (dispatch) {
      report("tool dispatch latency", Arrays.copyOfRange(dispatch, warmup, Math.max(warmup, calls[0])));
    }
    concurrent(agent, concurrentCalls, 10);
    agent.close();
    vertx.close().await();
  }

  /** {@code calls} conversations at once, {@code turnsEach} turns each: throughput and turn time under load. */
  private static void concurrent(Agent agent, int calls, int turnsEach) {
    long[] turnNanos = new long[calls * turnsEach];
    int[] n = {0};
    long t0 = System.nanoTime();
    Flux.range(0, calls).flatMap(i -> {
      Conversation c = agent.newConversation("load-" + i, Map.of());
      return Flux.range(0, turnsEach).concatMap(k -> Mono.defer(() -> {
        long start = System.nanoTime();
        return c.send("look it up").then(Mono.fromRunnable(() -> {
          synchronized (turnNanos) {
            turnNanos[n[0]++] = System.nanoTime() - start;
          }
        }));
      }));
    }, calls).blockLast(Duration.ofMinutes(5));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d calls at once: %.0f turns/s (%.0f requests/s)%n", calls, calls * turnsEach / seconds,
        2 * calls * turnsEach / seconds);
    synchronized (turnNanos) {
      report("turn time under load", Arrays.copyOf(turnNanos, n[0]));
    }
  }

  private static void report(String name, long[] nanos) {
    if (nanos.length == 0) return;
    Arrays.sort(nanos);
    System.out.printf("%-24s n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms%n", name, nanos.length,
        nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, nanos[nanos.length - 1] / 1e6);
  }

  /** Records when each tool call's arguments became complete on the client, before the engine sees it. */
  private record Timestamping(ElectronClient delegate) implements ElectronClient {
    @Override
    public ElectronStream stream(ChatRequest request, CallLog log, Consumer<ElectronEvent> listener) {
      return delegate.stream(request, log, e -> {
        if (e instanceof ElectronEvent.ToolCallReady) READY.add(System.nanoTime());
        listener.accept(e);
      });
    }

    @Override
    public int queueDepth() {
      return delegate.queueDepth();
    }

    @Override
    public int inFlight() {
      return delegate.inFlight();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
