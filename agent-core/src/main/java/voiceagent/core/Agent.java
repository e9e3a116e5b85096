package voiceagent.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.Clock;
import voiceagent.common.VertxClock;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.internal.turn.AgentPrefix;
import voiceagent.core.internal.turn.AgentRuntime;
import voiceagent.core.internal.turn.TurnEngine;
import voiceagent.core.internal.turn.TurnMetrics;
import voiceagent.tools.CatalogLint;
import voiceagent.tools.LintWarning;
import voiceagent.tools.ToolExecutor;

/**
 * An agent: its configuration, tools and clients, shared by all of its conversations. Conversations are spread over
 * the event loops (one host context per loop, handed out in turn), and each lives on its loop for good.
 *
 * <p>Thread contract: thread-safe.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentRuntime runtime;
  private final List<Context> loops;
  private final AtomicInteger next = new AtomicInteger();
  private final boolean ownsElectron;
  private final Vertx vertx;
  private final List<String> deployments;

  private Agent(Vertx vertx, AgentRuntime runtime, List<Context> loops, List<String> deployments,
      boolean ownsElectron) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.loops = List.copyOf(loops);
    this.deployments = deployments;
    this.ownsElectron = ownsElectron;
  }

  public static Builder builder(Vertx vertx, AgentConfig config) {
    return new Builder(vertx, config);
  }

  /** A new conversation on the next event loop; {@code callVariables} go after the cached prompt prefix. */
  public Conversation newConversation(String callId, Map<String, String> callVariables) {
    return newConversation(nextContext(), callId, callVariables);
  }

  /** The next host context, round robin over the loops. */
  Context nextContext() {
    return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
  }

  AgentRuntime runtime() {
    return runtime;
  }

  /** A new conversation on {@code context} (a server session passes the context of its accepted socket). */
  public Conversation newConversation(Context context, String callId, Map<String, String> callVariables) {
    Objects.requireNonNull(callId, "callId");
    TurnEngine engine = new TurnEngine(runtime, context, CallLog.of("call_id", callId), callVariables);
    return new Conversation(context, engine, callId);
  }

  public AgentConfig config() {
    return runtime.config();
  }

  public MeterRegistry meterRegistry() {
    return runtime.metrics().registry();
  }

  /**
   * Stops the agent: running tools are interrupted, its own Electron client closes, its host contexts are undeployed.
   * Called off the event loop, it waits for the undeployment (so that closing Vert.x right after is clean).
   */
  @Override
  public void close() {
    runtime.tools().close();
    if (ownsElectron) runtime.electron().close();
    Future<?> undeployed = Future.all(deployments.stream().map(vertx::undeploy).toList());
    if (!Context.isOnVertxThread()) undeployed.await();
  }

  /** Builds and starts an {@link Agent}. Thread contract: not thread-safe. */
  public static final class Builder {
    private final Vertx vertx;
    private final AgentConfig config;
    private ElectronClient electron;
    private String model;
    private ElectronConfig electronConfig;
    private Prices prices = Prices.LAUNCH_2026_05;
    private MeterRegistry registry;
    private Clock clock = VertxClock.INSTANCE;
    private int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;

    private Builder(Vertx vertx, AgentConfig config) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The Electron endpoint; the agent creates and owns its client. */
    public Builder electron(ElectronConfig c) { electronConfig = c; return this; }
    /** A client shared with other agents of the same key, and the model to ask for. */
    public Builder electron(ElectronClient client, String modelName) { electron = client; model = modelName; return this; }
    public Builder prices(Prices p) { prices = p; return this; }
    public Builder meterRegistry(MeterRegistry r) { registry = r; return this; }
    public Builder clock(Clock c) { clock = c; return this; }
    /** How many event loops conversations are spread over (default: Vert.x's event-loop pool size). */
    public Builder loops(int n) { loops = Math.max(1, n); return this; }

    /** Deploys one host context per loop and returns the agent; completes on a Vert.x thread. */
    public Future<Agent> start() {
      boolean owns = electron == null;
      ElectronClient client = electron;
      String modelName = model;
      if (owns) {
        ElectronConfig c = electronConfig != null ? electronConfig : ElectronConfig.defaults();
        client = ElectronClient.create(vertx, c, clock);
        modelName = c.model();
      }
      for (LintWarning w : CatalogLint.lint(config.tools())) {
        log.atWarn().addKeyValue("tool", w.tool()).addKeyValue("tokens", w.tokens()).addKeyValue("problem", w.message())
            .log("tool catalog lint");
      }
      MeterRegistry meters = registry != null ? registry : new SimpleMeterRegistry();
      AgentRuntime runtime = new AgentRuntime(config, client, modelName, new ToolExecutor(clock), prices,
          new TurnMetrics(meters), new AgentPrefix(meters), clock);
      List<Context> contexts = new CopyOnWriteArrayList<>();
      ElectronClient finalClient = client;
      return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
              contexts.add(context);
            }
          }, new DeploymentOptions().setInstances(loops))
          .map(id -> new Agent(vertx, runtime, new ArrayList<>(contexts), List.of(id), owns))
          .onFailure(t -> {
            if (owns) finalClient.close();
          });
    }
  }
}
