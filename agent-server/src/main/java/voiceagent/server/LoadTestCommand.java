package voiceagent.server;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import voiceagent.server.internal.load.LoadRun;
import voiceagent.server.internal.load.OwnServer;
import voiceagent.server.internal.load.StepResult;
import voiceagent.testkit.carrier.CallerProtocol;

/**
 * {@code voice-agent loadtest}: dials synthetic callers over a carrier's media-stream protocol, at real-time pace with
 * espeak-ng speech, and prints per step the latency, jitter, underruns, failed calls and the server's CPU and heap per
 * call (from its {@code /metrics}). Without {@code --url} it starts a server of its own on the built-in emulators.
 * Loopback only; bounded in calls and time. Exit 0 when no call failed, 1 when some did, 2 on bad options
 * ({@link CliErrors}).
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = {"Load-test a voice-agent server with synthetic phone callers (loopback only).",
        "Each step runs N calls for the duration; --calls 100,200,500 runs three steps."})
public final class LoadTestCommand implements Callable<Integer> {
  static final int MAX_CALLS = 10_000;
  static final Duration MAX_DURATION = Duration.ofMinutes(30);

  @Option(names = "--calls", paramLabel = "N[,N...]", required = true, split = ",",
      description = "Calls per step (1..10000); several values run several steps.")
  List<Integer> calls;

  @Option(names = "--duration", paramLabel = "D", required = true,
      description = "How long each call lasts: 30s, 2m, or seconds (at most 30 min).")
  String duration;

  @Option(names = "--carrier", paramLabel = "NAME", defaultValue = "twilio",
      description = "twilio, telnyx or plivo (default: ${DEFAULT-VALUE}).")
  String carrier;

  @Option(names = "--url", paramLabel = "WS_URL",
      description = "A running server's stream URL, e.g. ws://127.0.0.1:8080/twilio/stream (default: a server of "
          + "its own on the built-in emulators).")
  String url;

  @Option(names = "--ramp", paramLabel = "S", defaultValue = "0",
      description = "Start the calls over S seconds (default: all at once).")
  double rampSeconds;

  @Option(names = "--json", description = "Also print one JSON line per step.")
  boolean json;

  @Option(names = "--driver-loops", paramLabel = "K",
      description = "Event loops driving the callers (default: the available cores).")
  Integer driverLoops;

  /** The environment the own server's configuration is read from; tests replace it. */
  Map<String, String> env = System.getenv();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadRun.Settings settings;
    CallerProtocol protocol = protocol(carrier);
    Duration each = duration(duration);
    for (int n : calls) {
      if (n < 1 || n > MAX_CALLS) {
        throw CliFailure.badInput("--calls " + n, "out of range", "give 1 to " + MAX_CALLS + " calls per step");
      }
    }
    if (rampSeconds < 0 || rampSeconds * 1000 >= each.toMillis()) {
      throw CliFailure.badInput("--ramp " + rampSeconds, "not between 0 and --duration",
          "start the calls over less time than each call lasts");
    }
    if (url != null) checkLoopback(url);
    int maxCalls = calls.stream().mapToInt(Integer::intValue).max().orElse(1);
    Path work = Files.createTempDirectory("voice-agent-loadtest");
    try (OwnServer own = url == null ? ownServer(maxCalls, err) : null) {
      URI stream = url != null ? withPath(URI.create(url), protocol.path()) : own.streamUri(protocol.path());
      URI metrics = new URI("http", null, stream.getHost(), stream.getPort(), "/metrics", null, null);
      int loops = driverLoops != null ? driverLoops : Runtime.getRuntime().availableProcessors();
      settings = new LoadRun.Settings(protocol, stream, metrics, each, Duration.ofMillis((long) (rampSeconds * 1000)),
          Math.max(1, loops));
      out.println("loadtest: " + calls + " calls of " + each.toSeconds() + " s over " + protocol.name().toLowerCase(
          Locale.ROOT) + " to " + stream + (own != null ? " (own server on the built-in emulators)" : ""));
      out.flush();
      boolean failed = false;
      try (LoadRun run = LoadRun.start(settings, work, err, maxCalls)) {
        for (int i = 0; i < calls.size(); i++) {
          StepResult r;
          try {
            r = run.step(i + 1, calls.get(i));
          } catch (java.io.IOException e) {
            throw CliFailure.runtime(metrics.toString(), "the server's metrics do not answer (" + e + ")",
                "start voice-agent serve first, or check --url");
          }
          r.lines().forEach(out::println);
          if (json) out.println(r.json());
          out.flush();
          failed |= r.failedCalls() > 0;
        }
      }
      return failed ? 1 : 0;
    } finally {
      try (var files = Files.list(work)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(work);
    }
  }

  /** {@code serve --emulator --no-auth} in this process, on a free loopback port. */
  private OwnServer ownServer(int calls, PrintWriter err) throws Exception {
    ServeCommand serve = new ServeCommand();
    serve.installShutdownHook = false;
    serve.env = OwnServer.environment(env, calls);
    return OwnServer.start(serve, serve::shutdown, err);
  }

  static CallerProtocol protocol(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "twilio" -> CallerProtocol.TWILIO;
      case "telnyx" -> CallerProtocol.TELNYX;
      case "plivo" -> CallerProtocol.PLIVO;
      default -> throw CliFailure.badInput("--carrier " + name, "not a carrier the load generator speaks",
          "use twilio, telnyx or plivo (the μ-law 8 kHz media streams)");
    };
  }

  /** {@code 30s}, {@code 2m}, {@code 500ms} or plain seconds, at most {@link #MAX_DURATION}. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (t.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      else if (t.endsWith("s")) d = Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      else if (t.endsWith("m")) d = Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      else d = Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
    } catch (NumberFormatException e) {
      throw CliFailure.badInput("--duration " + text, "not a duration", "write 30s, 2m or a number of seconds");
    }
    if (d.toMillis() < 1000 || d.compareTo(MAX_DURATION) > 0) {
      throw CliFailure.badInput("--duration " + text, "out of range", "give 1 s to 30 min");
    }
    return d;
  }

  /** Refuses anything but a ws:// URL to this machine: a load test must never dial someone else's server. */
  static void checkLoopback(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw CliFailure.badInput("--url " + url, "not a URL (" + e.getMessage() + ")",
          "give ws://127.0.0.1:PORT/twilio/stream");
    }
    if (!"ws".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
      throw CliFailure.badInput("--url " + url, "not a plain ws:// URL with a port",
          "give ws://127.0.0.1:PORT/twilio/stream");
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(u.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw CliFailure.badInput("--url " + url, "refusing host " + u.getHost() + ", loadtest only dials loopback",
          "run the server on this machine and give 127.0.0.1, localhost or ::1");
    }
  }

  private static URI withPath(URI u, String path) {
    if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) return u;
    return URI.create("ws://" + u.getHost() + ":" + u.getPort() + path);
  }
}
