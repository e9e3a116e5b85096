package voiceagent.testkit.electron;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import voiceagent.common.Clock;
import voiceagent.testkit.electron.StreamRenderer.Frame;

/**
 * Sends rendered SSE frames of one response, one flushed HTTP chunk per frame, with the scripted delays, and applies
 * the end of the script: end the response, cut the connection, or hold it open (stall, [DONE] then keep open).
 * Each frame is written only after the previous write completed, so frames never merge inside the emulator.
 *
 * <p>Thread contract: confined to the emulator's event loop.
 */
final class StreamPlayer {
  /** What happens after the frames (or at the cut/stall point). */
  record Plan(Duration firstTokenDelay, Duration interChunkDelay, int cutAfterChunks, int stallAfterChunks,
      boolean keepOpenAfterLast) {
    static final Plan IMMEDIATE = new Plan(Duration.ZERO, Duration.ZERO, -1, -1, false);
  }

  private final Context context;
  private final Clock clock;
  private final HttpServerRequest request;
  private final Exchange exchange;
  private final Consumer<Exchange> onEnded; // called once the response ended or was cut by the script
  private final List<Frame> frames;
  private final Plan plan;
  private int next; // loop
  private int dataSent; // loop

  StreamPlayer(Context context, Clock clock, HttpServerRequest request, Exchange exchange, List<Frame> frames,
      Plan plan, Consumer<Exchange> onEnded) {
    this.context = context;
    this.clock = clock;
    this.request = request;
    this.exchange = exchange;
    this.frames = frames;
    this.plan = plan;
    this.onEnded = onEnded;
  }

  void start() {
    HttpServerResponse response = request.response();
    response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    response.writeHead().onComplete(v -> step());
  }

  private void step() {
    if (exchange.done) return;
    if (next == frames.size()) {
      if (!plan.keepOpenAfterLast()) request.response().end().onComplete(v -> onEnded.accept(exchange));
      return;
    }
    Frame frame = frames.get(next);
    if (frame.data() && dataSent == plan.cutAfterChunks()) {
      onEnded.accept(exchange);
      request.connection().close();
      return;
    }
    if (frame.data() && dataSent == plan.stallAfterChunks()) return;
    Duration delay = !frame.data() ? Duration.ZERO : dataSent == 0 ? plan.firstTokenDelay() : plan.interChunkDelay();
    if (delay.isZero()) {
      write(frame);
    } else {
      exchange.timer = clock.schedule(context, delay.toMillis(), () -> write(frame));
    }
  }

  private void write(Frame frame) {
    exchange.timer = null;
    if (exchange.done) return;
    request.response().write(frame.text()).onComplete(ar -> {
      if (ar.failed()) return; // the client went away: the close handler finishes the exchange
      if (frame.data()) dataSent++;
      next++;
      step();
    });
  }
}
