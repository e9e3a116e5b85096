package voiceagent.server.internal.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CarrierCaller;

/**
 * The callers of one event loop: one 20 ms periodic timer starts the calls whose time has come and ticks every live
 * call (no timer or thread per caller). Each step gets fresh {@link StepStats}; reading them hops to the loop.
 *
 * <p>Thread contract: public methods may be called from any thread and hop to the loop's context; everything else is
 * confined to it.
 */
final class DriverLoop {
  private record Start(long atNanos, int index) {}

  private final Vertx vertx;
  private final Context context;
  private final WebSocketClient client;
  private final String url;
  private final SpeechClips clips;
  private final Function<Integer, CallerOptions> options;
  private final ArrayDeque<Start> starts = new ArrayDeque<>();
  private final List<LoadCall> calls = new ArrayList<>();
  private StepStats stats = new StepStats();
  private long durationNanos;
  private long timer = -1;

  DriverLoop(Vertx vertx, Context context, WebSocketClient client, String url, SpeechClips clips,
      Function<Integer, CallerOptions> options) {
    this.vertx = vertx;
    this.context = context;
    this.client = client;
    this.url = url;
    this.clips = clips;
    this.options = options;
  }

  /** Starts a step: call {@code indices[i]} dials at {@code atNanos[i]} ({@link System#nanoTime}) and lasts the duration. */
  void startStep(long[] atNanos, int[] indices, long duration) {
    context.runOnContext(v -> {
      stats = new StepStats();
      durationNanos = duration;
      for (int i = 0; i < atNanos.length; i++) starts.add(new Start(atNanos[i], indices[i]));
      if (timer < 0) timer = vertx.setPeriodic(20, id -> tick());
    });
  }

  private void tick() {
    long now = System.nanoTime();
    while (!starts.isEmpty() && starts.peek().atNanos() <= now) dial(starts.poll(), now);
    for (int i = 0; i < calls.size(); i++) calls.get(i).tick(now);
    calls.removeIf(LoadCall::ended);
  }

  private void dial(Start start, long now) {
    StepStats step = stats;
    CarrierCaller.connect(vertx, client, url, options.apply(start.index())).onComplete(ar -> {
      if (step != stats) {
        if (ar.succeeded()) ar.result().hangUp(); // the step ended before the connection did
        return;
      }
      if (ar.failed()) {
        step.fail("connect: " + ar.cause().getMessage());
        return;
      }
      step.connected++;
      step.live++;
      calls.add(new LoadCall(ar.result(), clips, step, System.nanoTime(),
          durationNanos - (System.nanoTime() - start.atNanos()), start.index()));
    });
  }

  /** Counters so far, for the progress line. */
  Future<StepStats.Progress> progress() {
    Promise<StepStats.Progress> p = Promise.promise();
    context.runOnContext(v -> p.complete(stats.progress()));
    return p.future();
  }

  /** Whether every call of the step has dialled and ended. */
  Future<Boolean> idle() {
    Promise<Boolean> p = Promise.promise();
    context.runOnContext(v -> p.complete(starts.isEmpty() && calls.isEmpty()));
    return p.future();
  }

  /** Ends the step: calls still up are abandoned (counted failed); returns the step's measurements. */
  Future<StepStats> finishStep() {
    Promise<StepStats> p = Promise.promise();
    context.runOnContext(v -> {
      starts.clear();
      calls.forEach(LoadCall::abandon);
      calls.clear();
      StepStats done = stats;
      stats = new StepStats();
      p.complete(done);
    });
    return p.future();
  }

  void stop() {
    context.runOnContext(v -> {
      if (timer >= 0) vertx.cancelTimer(timer);
      timer = -1;
    });
  }
}
