package voiceagent.server;

import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.ElectronConfig;
import voiceagent.server.internal.serve.ServeApp;
import voiceagent.server.internal.serve.ServeSettings;
import voiceagent.server.internal.serve.Upstreams;

/**
 * {@code voice-agent serve}: the telephony server carriers dial (a contract other tools rely on). Prints
 * {@code listening on http://127.0.0.1:P} on stdout once it accepts calls, runs until SIGTERM (or
 * {@link #shutdown()}), then drains: new calls refused, live calls finish within {@code server.shutdown_grace_ms},
 * then hear the goodbye. Exit 0 after a clean shutdown, 2 on bad input or configuration (missing carrier
 * credentials, a missing API key), 1 when the server fails at run time (port taken).
 *
 * <p>Thread contract: {@link #call} runs on the caller's thread and blocks until shutdown; {@link #shutdown()} may be
 * called from any thread (the JVM's shutdown hook, a test).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve phone calls: Twilio, Telnyx, Plivo, Vonage and Exotel media streams to the weather agent.",
        "Carrier credentials: TWILIO_AUTH_TOKEN, TELNYX_STREAM_SECRET, PLIVO_STREAM_SECRET, VONAGE_STREAM_SECRET,",
        "EXOTEL_STREAM_SECRET (at least one, unless --no-auth)."})
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--port", paramLabel = "P", description = "Port to listen on (default: server.port, 8080).")
  Integer port;

  @Option(names = "--emulator", description = "Run on the built-in Pulse, Electron and Lightning emulators.")
  boolean emulator;

  @Option(names = "--no-auth", description = "Accept carrier requests without checking credentials (local tests only).")
  boolean noAuth;

  @Option(names = "--config", paramLabel = "FILE", description = "A voice-agent.yaml overlaying the defaults.")
  Path config;

  /** The environment the configuration is read from; tests replace it. */
  Map<String, String> env = System.getenv();

  /** Whether {@link #call} installs a JVM shutdown hook for SIGTERM; tests call {@link #shutdown()} instead. */
  boolean installShutdownHook = true;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile ServeApp app;
  private volatile Vertx vertx;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConfigTree tree = ConfigTree.load(config, env);
    ServeSettings settings = ServeSettings.from(tree, port, noAuth);
    checkCredentials(settings, spec.commandLine().getErr());
    if (!emulator) checkApiKey(ElectronConfig.from(tree.section("electron")));
    vertx = Vertx.vertx();
    try {
      Upstreams upstreams = emulator ? Upstreams.emulated(vertx, tree).await() : Upstreams.live(tree);
      // The emulated Electron has no plan limit: unless one is asked for, the governor does not invent one.
      if (emulator && !env.containsKey("ELECTRON_MAX_CONCURRENCY")) {
        upstreams = upstreams.unthrottled(settings.maxCalls());
      }
      app = ServeApp.start(vertx, tree, settings, upstreams, ChatCommand.prices(tree));
    } catch (Exception e) { // Future.await rethrows a failed bind's BindException as it is
      vertx.close().await();
      if (e instanceof AgentException) throw e;
      throw CliFailure.runtime("port " + settings.port(), "the server cannot listen (" + e.getMessage() + ")",
          "free the port or pass another --port");
    }
    log.atInfo().addKeyValue("port", app.server().port()).addKeyValue("upstreams", app.upstreams().mode())
        .addKeyValue("max_calls", settings.maxCalls()).log("serving calls");
    if (installShutdownHook) {
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("voice-agent-shutdown").unstarted(this::shutdown));
    }
    out.println("listening on http://127.0.0.1:" + app.server().port());
    out.flush();
    stopped.await();
    return 0;
  }

  /** The port the server listens on, once started (tests). */
  public int port() {
    return app.server().port();
  }

  ServeApp app() {
    return app;
  }

  /**
   * Drains and stops the server (what SIGTERM does): returns once live calls ended (or the goodbye limit passed) and
   * everything is closed. Idempotent.
   */
  public void shutdown() {
    ServeApp a = app;
    if (a == null || stopped.getCount() == 0) return;
    try {
      a.stop();
      vertx.close().await();
    } finally {
      stopped.countDown();
    }
  }

  /** Refuses to start without any carrier credential unless {@code --no-auth}, which is announced loudly. */
  private void checkCredentials(ServeSettings settings, PrintWriter err) {
    if (noAuth) {
      String warning = "WARNING: --no-auth: carrier webhooks and media streams are NOT authenticated; anyone who can "
          + "reach this port can place calls on your upstream accounts. Use it for local tests only.";
      log.atWarn().log(warning);
      err.println(warning);
      err.flush();
      return;
    }
    if (settings.credentials().isEmpty()) {
      throw CliFailure.badInput("carrier credentials", String.join(", ", settings.missingCredentials())
          + " are all unset", "set at least " + settings.missingCredentials().get(0)
          + " (or another carrier's secret), or pass --no-auth for a local test");
    }
    for (String missing : settings.missingCredentials()) {
      log.atInfo().addKeyValue("variable", missing).log("carrier disabled: its credential is not set");
    }
  }

  /** Refuses to send calls to the real Smallest AI endpoints without a key; any other endpoint may not need one. */
  private static void checkApiKey(ElectronConfig electron) {
    if (electron.apiKey() == null && electron.baseUrl().contains("api.smallest.ai")) {
      throw CliFailure.badInput("SMALLEST_API_KEY", "not set, and ELECTRON_BASE_URL is " + electron.baseUrl(),
          "set SMALLEST_API_KEY, point the *_BASE_URL variables at your endpoints, or pass --emulator");
    }
  }
}
