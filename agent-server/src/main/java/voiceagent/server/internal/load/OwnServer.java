package voiceagent.server.internal.load;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The server {@code loadtest} starts when given no {@code --url}: {@code voice-agent serve --emulator --no-auth} in
 * this process on a free loopback port, found from its {@code listening on} line (the serve contract), with the
 * Electron governor raised to the run's call count (the emulated Electron has no plan limit; the default plan's 3
 * would measure queueing, not the runtime).
 *
 * <p>Thread contract: {@link #start} and {@link #close} block; call them from the command's thread.
 */
public final class OwnServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final Runnable shutdown;
  private final Thread thread;
  private final int port;

  private OwnServer(Runnable shutdown, Thread thread, int port) {
    this.shutdown = shutdown;
    this.thread = thread;
    this.port = port;
  }

  /**
   * Starts the server; {@code serve} is the {@code ServeCommand} (given by the caller, which sees its package), set
   * up not to install a shutdown hook, and {@code shutdown} what stops it.
   */
  public static OwnServer start(Object serve, Runnable shutdown, PrintWriter err) throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringWriter seen = new StringWriter();
    Writer watch = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        seen.write(buf, off, len);
        Matcher m = LISTENING.matcher(seen.toString());
        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    CommandLine cmd = new CommandLine(serve).setOut(new PrintWriter(watch, true)).setErr(err);
    Thread t = Thread.ofPlatform().name("loadtest-server").start(() -> {
      int code = cmd.execute("--emulator", "--no-auth", "--port", "0");
      port.completeExceptionally(new IllegalStateException("the server exited with status " + code
          + " before listening"));
    });
    return new OwnServer(shutdown, t, port.get(60, TimeUnit.SECONDS));
  }

  /** The environment the own server reads: the caller's, on loopback, with the governor raised to {@code calls}. */
  public static Map<String, String> environment(Map<String, String> base, int calls) {
    Map<String, String> env = new HashMap<>(base);
    env.put("VOICE_AGENT_HOST", "127.0.0.1");
    env.put("ELECTRON_MAX_CONCURRENCY", Integer.toString(Math.max(3, calls)));
    env.put("VOICE_AGENT_MAX_CALLS", Integer.toString(Math.max(1000, calls)));
    env.remove("SMALLEST_API_KEY");
    return env;
  }

  public URI streamUri(String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws InterruptedException {
    shutdown.run();
    thread.join(TimeUnit.SECONDS.toMillis(60));
  }
}
