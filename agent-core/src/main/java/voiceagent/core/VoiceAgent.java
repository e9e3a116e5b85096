package voiceagent.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.PulseClient;
import voiceagent.audio.PulseConfig;
import voiceagent.common.Clock;
import voiceagent.common.VertxClock;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.internal.session.CallSession;
import voiceagent.core.internal.session.SessionRuntime;
import voiceagent.core.spi.MediaTransport;

/**
 * A voice agent: an {@link Agent} (prompt, tools, Electron) plus speech — Pulse to hear the caller, Lightning to
 * answer — and the call-session settings. It takes calls on any {@link MediaTransport}; each call lives on one event
 * loop for good, and the calls of a loop share one pacing tick. Nothing is global: two voice agents with different
 * settings live side by side in one JVM.
 *
 * <p>Thread contract: thread-safe.
 */
public final class VoiceAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VoiceAgent.class);
  private final Agent agent;
  private final SessionRuntime runtime;
  private final boolean ownsPulse;
  private final boolean ownsLightning;
  private final Set<Call> calls = ConcurrentHashMap.newKeySet(); // running; each removes itself when it ends
  private final AtomicBoolean closed = new AtomicBoolean();

  private VoiceAgent(Agent agent, SessionRuntime runtime, boolean ownsPulse, boolean ownsLightning) {
    this.agent = agent;
    this.runtime = runtime;
    this.ownsPulse = ownsPulse;
    this.ownsLightning = ownsLightning;
  }

  public static Builder builder(Vertx vertx, AgentConfig config) {
    return new Builder(vertx, config);
  }

  /** A call on {@code transport}, on the next event loop (embedded calls: round robin over the agent's loops). */
  public Call startCall(MediaTransport transport) {
    return startCall(agent.nextContext(), transport, UUID.randomUUID().toString(), Map.of());
  }

  /** As {@link #startCall(MediaTransport)} with a call id and per-call variables (put after the cached prefix). */
  public Call startCall(MediaTransport transport, String callId, Map<String, String> callVariables) {
    return startCall(agent.nextContext(), transport, callId, callVariables);
  }

  /**
   * A call on {@code context}: a server session passes the context of its accepted socket, so the transport, the
   * session and its clients share one loop without a hop. When called on that context, the session starts before
   * this method returns; otherwise it starts on the context shortly after.
   */
  public Call startCall(Context context, MediaTransport transport, String callId, Map<String, String> callVariables) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(callId, "callId");
    if (!context.isEventLoopContext()) {
      // A call's state and its loop's pacing tick are confined to one event-loop thread; a worker has many.
      throw new IllegalArgumentException("context=" + context + " is not an event-loop context");
    }
    Map<String, String> vars = callVariables == null ? Map.of() : Map.copyOf(callVariables);
    Call call = new Call(callId, context);
    calls.add(call);
    Runnable start = () -> {
      CallSession session = new CallSession(runtime, context, transport, callId, vars, call::emit,
          () -> calls.remove(call));
      call.attach(session);
      session.start();
    };
    if (Vertx.currentContext() == context) start.run();
    else context.runOnContext(v -> start.run());
    return call;
  }

  public AgentConfig config() {
    return agent.config();
  }

  public SessionConfig sessionConfig() {
    return runtime.config();
  }

  public MeterRegistry meterRegistry() {
    return agent.meterRegistry();
  }

  /**
   * Stops the agent: running calls end at once (reason {@code shutdown}: the transport is hung up, their streams
   * close, {@link CallEvent.CallEnded} is reported), then its own clients close and its host contexts are undeployed.
   * Called off the event loop, it waits (up to 5 s) for the calls to end. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    Future<?> ended = Future.all(calls.stream().map(Call::shutdown).toList());
    if (!Context.isOnVertxThread()) {
      try {
        ended.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.atWarn().addKeyValue("calls", calls.size()).log("calls still running at shutdown");
      }
    }
    if (ownsPulse) runtime.pulse().close();
    if (ownsLightning) runtime.lightning().close();
    agent.close();
  }

  /**
   * Builds a {@link VoiceAgent}: give each service either a shared client or a config (then the agent creates and
   * owns the client). For the emulators, point the configs at their base URLs ({@link #emulators}).
   *
   * <p>Thread contract: not thread-safe.
   */
  public static final class Builder {
    private final Vertx vertx;
    private final Agent.Builder agent;
    private SessionConfig session = SessionConfig.defaults();
    private PulseClient pulse;
    private PulseConfig pulseConfig = PulseConfig.defaults();
    private LightningClient lightning;
    private LightningConfig lightningConfig = LightningConfig.defaults();
    private Clock clock = VertxClock.INSTANCE;

    private Builder(Vertx vertx, AgentConfig config) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.agent = Agent.builder(vertx, config);
    }

    public Builder session(SessionConfig c) { session = Objects.requireNonNull(c, "session"); return this; }
    public Builder electron(ElectronConfig c) { agent.electron(c); return this; }
    public Builder electron(ElectronClient client, String model) { agent.electron(client, model); return this; }
    public Builder pulse(PulseConfig c) { pulseConfig = Objects.requireNonNull(c, "pulse"); return this; }
    /** A Pulse client shared with other agents; it is not closed with this agent. */
    public Builder pulse(PulseClient client) { pulse = client; return this; }
    public Builder lightning(LightningConfig c) { lightningConfig = Objects.requireNonNull(c, "lightning"); return this; }
    /** A Lightning client shared with other agents; it is not closed with this agent. */
    public Builder lightning(LightningClient client) { lightning = client; return this; }
    public Builder prices(Prices p) { agent.prices(p); return this; }
    public Builder meterRegistry(MeterRegistry r) { agent.meterRegistry(r); return this; }
    /** The clock of session timers, pacing and turns ({@code ManualClock} in tests). */
    public Builder clock(Clock c) { clock = Objects.requireNonNull(c, "clock"); agent.clock(c); return this; }
    public Builder loops(int n) { agent.loops(n); return this; }

    /** Points the three services at emulators (or any other endpoints) by base URL, keeping the other settings. */
    public Builder emulators(String electronBaseUrl, String pulseBaseUrl, String lightningBaseUrl) {
      agent.electron(ElectronConfig.defaults().withBaseUrl(electronBaseUrl));
      pulseConfig = pulseConfig.withBaseUrl(pulseBaseUrl);
      lightningConfig = lightningConfig.withBaseUrl(lightningBaseUrl);
      return this;
    }

    /** Starts the agent (host contexts, clients); completes on a Vert.x thread. */
    public Future<VoiceAgent> start() {
      boolean ownsPulse = pulse == null;
      boolean ownsLightning = lightning == null;
      PulseClient p = ownsPulse ? PulseClient.create(vertx, pulseConfig, clock) : pulse;
      LightningClient l = ownsLightning ? LightningClient.create(vertx, lightningConfig, clock) : lightning;
      SessionConfig s = session;
      return agent.start().map(a -> new VoiceAgent(a, SessionRuntime.create(a.runtime(), s, p, l), ownsPulse,
          ownsLightning)).onFailure(e -> {
            if (ownsPulse) p.close();
            if (ownsLightning) l.close();
          });
    }
  }
}
