package voiceagent.server.internal.load;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;

/**
 * The load generator: synthetic callers on a few event loops ({@link DriverLoop}), run step by step (one load level
 * each), with a progress line every second and the server's {@code /metrics} scraped around each step.
 *
 * <p>Thread contract: not thread-safe; run from one (non-event-loop) thread, which blocks while a step runs.
 */
public final class LoadRun implements AutoCloseable {
  /** Time the calls get past their duration to hang up and close before they count as failed. */
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(15);

  /**
   * What to run.
   *
   * @param streamUrl  the carrier WebSocket URL (loopback)
   * @param metricsUrl the server's Prometheus endpoint
   * @param loops      driver event loops
   */
  public record Settings(CallerProtocol protocol, URI streamUrl, URI metricsUrl, Duration duration, Duration ramp,
      int loops) {}

  private final Settings settings;
  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<DriverLoop> loops = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final PrintWriter progress;
  private int scrapeFailures;
  private double cpu; // the server's CPU between the last two scrapes, % of a core

  private LoadRun(Settings settings, SpeechClips clips, PrintWriter progress, int maxCalls) {
    this.settings = settings;
    this.progress = progress;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.loops()));
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Math.max(50, maxCalls)));
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        contexts.add(context);
      }
    }, new DeploymentOptions().setInstances(settings.loops())).await();
    for (Context c : contexts) {
      loops.add(new DriverLoop(vertx, c, client, settings.streamUrl().toString(), clips, i -> callerOptions(i)));
    }
  }

  /** Renders the callers' speech (espeak-ng, in {@code workDir}) and starts the driver loops. */
  public static LoadRun start(Settings settings, Path workDir, PrintWriter progress, int maxCalls)
      throws IOException, InterruptedException {
    return new LoadRun(settings, SpeechClips.render(workDir), progress, maxCalls);
  }

  private CallerOptions callerOptions(int index) {
    return CallerOptions.defaults(settings.protocol()).withIds("MZload" + index, "CAload" + index)
        .withRealTimePlayback(true).withRecordEvents(false);
  }

  /** Runs one step of {@code calls} callers and returns its results; blocks until every call ended (bounded). */
  public StepResult step(int step, int calls) throws IOException, InterruptedException {
    ServerScrape before = scrape();
    long rampNanos = settings.ramp().toNanos();
    long durationNanos = settings.duration().toNanos();
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    int n = loops.size();
    for (int l = 0; l < n; l++) {
      int mine = (calls - l + n - 1) / n;
      long[] at = new long[mine];
      int[] index = new int[mine];
      for (int k = 0; k < mine; k++) {
        int i = l + k * n;
        index[k] = i;
        at[k] = t0 + (calls <= 1 ? 0 : rampNanos * i / calls);
      }
      loops.get(l).startStep(at, index, durationNanos);
    }
    long rampEnd = t0 + rampNanos;
    long end = t0 + durationNanos;
    long deadline = end + rampNanos + GRACE_NANOS;
    ServerScrape windowStart = null;
    ServerScrape windowEnd = null;
    ServerScrape last = before;
    List<Double> heap = new ArrayList<>();
    for (int second = 1; ; second++) {
      Thread.sleep(1000); // the progress line's period; the calls run on their loops meanwhile
      long now = System.nanoTime();
      // Scrapes cost the server CPU too: every 5 s, and at the edges of the measured window.
      boolean edge = (windowStart == null && now >= rampEnd) || (now < end && now + 1_000_000_000L >= end);
      ServerScrape s = second % 5 == 0 || edge ? scrapeOr(last) : last;
      if (s != last && now >= rampEnd && now <= end) {
        if (windowStart == null) windowStart = s;
        windowEnd = s;
        heap.add(s.heapBytes());
      }
      StepStats.Progress p = progressNow();
      printProgress(step, calls, (now - t0) / 1e9, p, s);
      if (s != last) {
        cpu = (s.cpuSeconds() - last.cpuSeconds()) / ((s.atNanos() - last.atNanos()) / 1e9) * 100;
        last = s;
      }
      if (now >= end && (p.completed() + p.failed() >= calls || now > deadline)) break;
    }
    progress.print("\r" + " ".repeat(110) + "\r");
    progress.flush();
    StepStats total = new StepStats();
    for (DriverLoop l : loops) total.add(l.finishStep().await());
    ServerScrape after = scrapeOr(last);
    if (windowStart == null) windowStart = before;
    if (windowEnd == null || windowEnd == windowStart) windowEnd = after;
    int missed = scrapeFailures;
    scrapeFailures = 0;
    return new StepResult(step, calls, rampNanos / 1e9, durationNanos / 1e9, total, before, windowStart, windowEnd,
        after, before.heapBytes(), heap.isEmpty() ? after.heapBytes() : heap.stream().sorted().toList().get(heap.size() / 2),
        missed);
  }

  private StepStats.Progress progressNow() {
    StepStats.Progress sum = new StepStats.Progress(0, 0, 0, 0, 0, 0);
    for (DriverLoop l : loops) sum = sum.plus(l.progress().await());
    return sum;
  }

  private void printProgress(int step, int calls, double seconds, StepStats.Progress p, ServerScrape now) {
    progress.print(String.format(Locale.ROOT, "\rstep %d: %3.0f s  %d/%d calls up, %d done, %d failed, %d turns "
        + "(%d unanswered); server CPU %3.0f%%, heap %.0f MB   ", step, seconds, p.live(), calls, p.completed(),
        p.failed(), p.turns(), p.unanswered(), cpu, now.heapBytes() / 1e6));
    progress.flush();
  }

  private ServerScrape scrape() throws IOException, InterruptedException {
    return ServerScrape.fetch(http, settings.metricsUrl());
  }

  /** A fresh scrape, or {@code previous} when the server did not answer in time (an overloaded server is data). */
  private ServerScrape scrapeOr(ServerScrape previous) throws InterruptedException {
    try {
      return scrape();
    } catch (IOException e) {
      scrapeFailures++;
      return previous;
    }
  }

  @Override
  public void close() {
    loops.forEach(DriverLoop::stop);
    client.close();
    vertx.close().await();
    http.close();
  }
}
