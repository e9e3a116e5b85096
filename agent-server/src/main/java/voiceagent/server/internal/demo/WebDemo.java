package voiceagent.server.internal.demo;

import io.vertx.core.Vertx;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.Prices;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.SessionConfig;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.samples.weather.WeatherTools;

/**
 * The web demo, assembled: the services (live or emulated), the weather {@link VoiceAgent}, and the {@link DemoServer}
 * whose pages each get a call.
 *
 * <p>Lifecycle: {@link #start} builds and binds everything; {@link #close} stops serving (open calls see the page hang
 * up), then closes the agent. The emulators live on the Vert.x instance and close with it.
 *
 * <p>Thread contract: thread-safe.
 */
public final class WebDemo {
  private final DemoServices services;
  private final VoiceAgent agent;
  private final DemoServer server;

  private WebDemo(DemoServices services, VoiceAgent agent, DemoServer server) {
    this.services = services;
    this.agent = agent;
    this.server = server;
  }

  /**
   * Starts the demo on {@code host:port} (0: a free port): live services when {@code tree} has a key and
   * {@code forceEmulator} is false, the emulators and the offline weather table otherwise. The call ends after the
   * agent's goodbye played when the model calls {@code end_call} (unless {@code session.hang_up_tool} names another). Blocks the calling thread, which must not be an event
   * loop: building the agent loads the tokenizer. Throws when the port is taken.
   */
  public static WebDemo start(Vertx vertx, ConfigTree tree, Prices prices, boolean forceEmulator, String host,
      int port) {
    DemoAssets assets = DemoAssets.load();
    DemoServices services = DemoServices.start(vertx, tree, forceEmulator).await();
    SessionConfig session = SessionConfig.from(tree.section("session"));
    if (session.hangUpTool() == null) session = session.withHangUpTool(WeatherTools.END_CALL); // goodbye ends it
    VoiceAgent agent = VoiceAgent.builder(vertx, WeatherAgent.config(tree, services.offline()))
        .session(session).electron(services.electron()).pulse(services.pulse()).lightning(services.lightning())
        .prices(prices).start().await();
    try {
      DemoServer server = DemoServer.start(vertx, host, port, assets, services.status(), new PageCalls(agent)).await();
      return new WebDemo(services, agent, server);
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  public DemoServices services() {
    return services;
  }

  /** Stops serving, then closes the agent; blocks the calling thread (not an event loop) until both are done. */
  public void close() {
    try {
      server.close().await();
    } finally {
      agent.close();
    }
  }
}
