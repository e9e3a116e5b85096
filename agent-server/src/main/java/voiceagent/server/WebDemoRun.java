package voiceagent.server;

import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.config.ConfigTree;
import voiceagent.server.internal.demo.DemoServices;
import voiceagent.server.internal.demo.WebDemo;

/**
 * {@code voice-agent demo} without {@code --script}: serves the web demo on {@code 127.0.0.1}, prints exactly one line
 * on stdout once it serves ({@code demo ready at http://127.0.0.1:P/}), says on stderr when it runs offline, and runs
 * until Ctrl-C (or {@code stop} completes), then closes the server, the calls and the emulators.
 *
 * <p>Thread contract: {@link #run} blocks the command's thread (never an event loop) until the demo stops.
 */
final class WebDemoRun {
  private static final String HOST = "127.0.0.1";

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;

  WebDemoRun(PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** Serves until {@code stop} completes or the JVM is asked to exit; returns the exit status. */
  int run(int port, boolean forceEmulator, CompletableFuture<Void> stop) throws Exception {
    if (port < 0 || port > 65_535) return usage("--port " + port + " is not a port: expected 0 to 65535");
    Vertx vertx = Vertx.vertx();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    // Ctrl-C: stop serving, hang up the open calls and close the emulators before the JVM goes.
    Thread hook = new Thread(() -> {
      stop.complete(null);
      closed.join();
    }, "demo-shutdown");
    WebDemo demo = null;
    try {
      ConfigTree tree = ConfigTree.load(null, env);
      demo = WebDemo.start(vertx, tree, ChatCommand.prices(tree), forceEmulator, HOST, port);
      if (demo.services().offline()) {
        err.println("demo: " + DemoServices.offlineReason(forceEmulator));
        err.flush();
      }
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("demo ready at http://" + HOST + ":" + demo.port() + "/");
      out.flush();
      stop.join();
      err.println("demo: stopped");
      err.flush();
      return 0;
    } catch (AgentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return e.kind() == ErrorKind.CONFIG ? 2 : 1;
    } catch (Exception e) { // Future.await() rethrows a failed bind's checked BindException as it is
      if (causedBy(e, BindException.class)) {
        return usage("port " + port + " on " + HOST + " is already in use: choose another with --port");
      }
      throw e;
    } finally {
      if (demo != null) demo.close();
      vertx.close().await();
      closed.complete(null);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running (Ctrl-C): it returns now that everything is closed.
      }
    }
  }

  private int usage(String message) {
    err.println("error: " + message);
    err.flush();
    return 2;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
    }
    return false;
  }
}
