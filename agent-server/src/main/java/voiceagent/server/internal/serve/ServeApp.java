package voiceagent.server.internal.serve;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.VertxClock;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.AgentConfig;
import voiceagent.core.ElectronClient;
import voiceagent.core.Prices;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.SessionConfig;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/**
 * {@code voice-agent serve}, assembled: one shared Electron client (its governor is the plan's limit for every call),
 * the weather {@link VoiceAgent} with the session settings (greeting, goodbye, {@code end_call} as the hang-up tool),
 * and the {@link TelephonyServer}.
 *
 * <p>Lifecycle: {@link #start} builds and binds; {@link #stop} drains the server (see
 * {@link TelephonyServer#shutdown}), then closes the agent, the client and the emulators. The Vert.x instance is the
 * caller's.
 *
 * <p>Thread contract: thread-safe; {@link #start} and {@link #stop} block and must not run on an event loop.
 */
public final class ServeApp {
  private static final Logger log = LoggerFactory.getLogger(ServeApp.class);
  /** The call-control tool the server acts on (through the carrier's REST API) when the model calls it. */
  static final String TRANSFER_TOOL = "transfer_call";
  /** The weather agent's terminal tool: the model says goodbye and calls it. */
  private static final String HANG_UP_TOOL = "end_call";

  private final ElectronClient electron;
  private final VoiceAgent agent;
  private final Upstreams upstreams;
  private final TelephonyServer server;

  private ServeApp(ElectronClient electron, VoiceAgent agent, Upstreams upstreams, TelephonyServer server) {
    this.electron = electron;
    this.agent = agent;
    this.upstreams = upstreams;
    this.server = server;
  }

  /** Starts the agent on {@code upstreams} and binds the server; blocks until it listens. */
  public static ServeApp start(Vertx vertx, ConfigTree tree, ServeSettings settings, Upstreams upstreams,
      Prices prices) {
    ServerMetrics metrics = new ServerMetrics();
    ElectronClient electron = ElectronClient.create(vertx, upstreams.electron(), VertxClock.INSTANCE);
    VoiceAgent agent = null;
    try {
      agent = VoiceAgent.builder(vertx, agentConfig(tree, settings, upstreams.emulators() != null))
          .electron(electron, upstreams.electron().model()).pulse(upstreams.pulse())
          .lightning(upstreams.lightning()).session(session(tree, settings)).prices(prices)
          .meterRegistry(metrics.registry()).start().await();
      TelephonyServer server = TelephonyServer.start(vertx, settings, agent, electron, upstreams, metrics).await();
      return new ServeApp(electron, agent, upstreams, server);
    } catch (RuntimeException e) {
      if (agent != null) agent.close();
      electron.close();
      throw e;
    }
  }

  /** The weather agent, plus {@code transfer_call} when {@code server.transfer_to} and Twilio's REST API are set. */
  static AgentConfig agentConfig(ConfigTree tree, ServeSettings settings, boolean offline) {
    AgentConfig weather = WeatherAgent.config(tree, offline);
    if (settings.transferTo() == null) return weather;
    if (settings.twilioRest() == null) {
      log.atWarn().log("server.transfer_to is set but Twilio's REST API is not (TWILIO_ACCOUNT_SID): no transfer tool");
      return weather;
    }
    List<Tool> tools = new ArrayList<>(weather.tools().tools());
    tools.add(Tool.builder(TRANSFER_TOOL)
        .description("Transfer the caller to a person, when they ask for a human or you cannot help them.")
        .sideEffects(true).filler("Let me transfer you now.")
        .handler(args -> "{\"status\":\"transfer requested\"}").build());
    return weather.toBuilder().tools(ToolRegistry.of(tools)).build();
  }

  /**
   * The {@code session:} settings, with the server's defaults where they leave a line unset: every call starts with
   * the greeting, shutdown ends calls with a goodbye, and the weather agent's {@code end_call} hangs up.
   */
  static SessionConfig session(ConfigTree tree, ServeSettings settings) {
    SessionConfig s = SessionConfig.from(tree.section("session"));
    if (s.greeting() == null && settings.greeting() != null) s = s.withGreeting(settings.greeting());
    if (s.goodbye() == null && settings.shutdownGoodbye() != null) s = s.withGoodbye(settings.shutdownGoodbye());
    if (s.hangUpTool() == null) s = s.withHangUpTool(HANG_UP_TOOL);
    return s;
  }

  public TelephonyServer server() {
    return server;
  }

  /** Electron requests holding a governor slot now (a leak check). */
  public int electronInFlight() {
    return electron.inFlight() + electron.queueDepth();
  }

  public Upstreams upstreams() {
    return upstreams;
  }

  /** Drains the server, then closes the agent, the Electron client and the emulators. */
  public void stop() {
    try {
      server.shutdown().await();
    } finally {
      agent.close();
      electron.close();
      upstreams.close().await();
    }
  }
}
