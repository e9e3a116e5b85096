package voiceagent.core.internal.electron;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;
import voiceagent.common.sse.SseDecoder;
import voiceagent.core.CallLog;
import voiceagent.core.ElectronEvent;
import voiceagent.core.ElectronStream;
import voiceagent.core.config.ElectronConfig;

/**
 * One streaming request through its life: wait for a governor slot, send, stream, retry (429/502/503 and connection
 * failures, only while nothing has been streamed to the listener), finish or fail exactly once.
 *
 * <p>States: QUEUED (waiting for a slot) → SENDING → STREAMING → DONE, with BACKOFF between attempts. cancel() moves
 * any state to DONE silently.
 *
 * <p>Thread contract: confined to the context of the caller that started it; {@link #cancel()} hops there.
 */
final class ElectronExchange implements ElectronStream {
  private static final Logger log = LoggerFactory.getLogger(ElectronExchange.class);

  /**
   * How long a finished response may take to end (after {@code [DONE]}) when no idle deadline is configured, before
   * its connection and slot are taken back: long enough for any well-behaved server, short enough not to starve the
   * governor.
   */
  private static final long DRAIN_MILLIS = 2_000;

  private final DefaultElectronClient client;
  private final ElectronConfig config;
  private final Clock clock;
  private final Context context;
  private final Thread loop;
  private final Buffer body; // read-only, over the cached encodings; every attempt sends it as it is
  private final Consumer<ElectronEvent> listener;
  private CallLog callLog;

  // Every field below is touched only on `loop`.
  private int attempts;
  private boolean done;
  private Governor.Ticket ticket;
  private HttpClientRequest request;
  private ChunkReader reader;
  private SseDecoder decoder;
  private String requestId;
  private long sentNanos;
  private long firstTokenNanos = -1;
  private long lastReadNanos;
  private Clock.Cancellable firstTokenTimer;
  private Clock.Cancellable idleTimer;
  private Clock.Cancellable backoffTimer;
  private int generatedIds;

  ElectronExchange(DefaultElectronClient client, Context context, Buffer body, CallLog callLog,
      Consumer<ElectronEvent> listener) {
    this.client = client;
    this.config = client.config();
    this.clock = client.clock();
    this.context = context;
    this.loop = context.isEventLoopContext() && Context.isOnEventLoopThread() ? Thread.currentThread() : null;
    this.body = body;
    this.callLog = callLog;
    this.listener = listener;
  }

  void start() {
    onLoop(this::attempt);
  }

  @Override
  public void cancel() {
    onLoop(() -> {
      if (done) return;
      done = true;
      callLog.debug(log).addKeyValue("attempt", attempts).log("electron request cancelled");
      cleanUp(true);
    });
  }

  private void attempt() {
    if (done) return;
    attempts++;
    ticket = client.governor().acquire(context);
    ticket.future().onComplete(ar -> {
      if (done) return;
      if (ar.failed()) {
        fail(ar.cause() instanceof AgentException a ? a
            : new AgentException(ErrorKind.CONNECTIVITY, ElectronErrors.SERVICE, ar.cause().toString()));
      } else {
        send();
      }
    });
  }

  private void send() {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(client.completionsUrl())
        .setConnectTimeout(config.connectTimeoutMillis())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
    if (config.apiKey() != null) options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey().reveal());
    callLog.debug(log).addKeyValue("attempt", attempts).log("electron request sent");
    sentNanos = clock.nanoTime();
    lastReadNanos = sentNanos;
    armFirstTokenTimer();
    client.http().request(options)
        .compose(req -> {
          if (done) {
            req.reset();
            return io.vertx.core.Future.failedFuture(cancelled());
          }
          request = req;
          return req.send(body);
        })
        .onComplete(ar -> {
          if (done) return;
          if (ar.succeeded()) onResponse(ar.result());
          else retryOrFail(connectionError(ar.cause()), -1);
        });
  }

  private void onResponse(HttpClientResponse response) {
    requestId = response.getHeader("X-Request-Id");
    callLog = callLog.with("request_id", requestId);
    int status = response.statusCode();
    if (status != 200) {
      long retryAfter = retryAfterMillis(response.getHeader(HttpHeaders.RETRY_AFTER));
      response.body().onComplete(b -> {
        if (done) return;
        String text = b.succeeded() ? b.result().toString() : "";
        retryOrFail(ElectronErrors.fromResponse(status, requestId, text), retryAfter);
      });
      return;
    }
    reader = new ChunkReader(new ReaderSink(), () -> "call_" + requestIdOrLocal() + "_" + (generatedIds++));
    String type = mediaType(response.getHeader(HttpHeaders.CONTENT_TYPE));
    if (!type.isEmpty() && !type.equals("text/event-stream")) {
      onWholeBody(response, type);
      return;
    }
    callLog.debug(log).addKeyValue("attempt", attempts).log("electron stream open");
    decoder = new SseDecoder(this::onSseEvent);
    response.handler(this::onData);
    response.exceptionHandler(t -> {
      if (!done) streamBroken(connectionError(t));
    });
    response.endHandler(v -> onEnd());
  }

  /**
   * A 200 that is not an event stream: a server that ignores {@code stream: true} answers one {@code chat.completion}
   * object, taken as the whole reply; anything else (an HTML page from a proxy, other JSON) is reported as what it
   * is, and not retried: the same server would answer the same way again.
   */
  private void onWholeBody(HttpClientResponse response, String type) {
    response.body().onComplete(ar -> {
      if (done) return;
      if (ar.failed()) {
        streamBroken(connectionError(ar.cause()));
        return;
      }
      String text = ar.result().toString();
      if (type.equals("application/json") || type.endsWith("+json")) {
        callLog.debug(log).addKeyValue("attempt", attempts).log("electron answered a whole completion");
        onSseEvent(null, text);
        if (done) return; // an error object, or the listener cancelled
        if (reader.sawEnd() || reader.sawDelta()) {
          succeed();
          return;
        }
      }
      fail(ElectronErrors.notEventStream(type, text, requestId));
    });
  }

  /** The media type of a Content-Type header, lower case, without parameters; empty when absent. */
  private static String mediaType(String contentType) {
    if (contentType == null) return "";
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  private void onData(Buffer buffer) {
    if (done) return;
    lastReadNanos = clock.nanoTime();
    try {
      decoder.feed(buffer);
    } catch (IllegalStateException e) {
      fail(new AgentException(ErrorKind.PROTOCOL, ElectronErrors.SERVICE, e.getMessage(), false, 200, null,
          requestId, null));
    }
  }

  private void onSseEvent(String event, String data) {
    if (done) return;
    ChunkReader.Outcome outcome = reader.accept(event, data);
    noteFirstToken(); // a tool call's first fragment, which reports nothing yet
    if (done) return;
    if (outcome == ChunkReader.Outcome.DONE) succeed(); // stop at [DONE] even if the server keeps the socket open
  }

  private void onEnd() {
    if (done) {
      releaseSlot(); // the response ended after [DONE]: the connection is back in the pool
      return;
    }
    decoder.end();
    if (done) return;
    if (reader.sawEnd()) {
      succeed(); // a stream without [DONE] that said it finished is complete
    } else {
      streamBroken(new AgentException(ErrorKind.CONNECTIVITY, ElectronErrors.SERVICE,
          "stream ended before a finish_reason (truncated reply)", true, 200, null, requestId, null));
    }
  }

  private void succeed() {
    if (done) return;
    reader.finish(); // pending tool calls, held-back text, usage
    if (done) return; // the listener cancelled while taking them
    done = true;
    cleanUp(false);
    callLog.debug(log).addKeyValue("attempt", attempts).addKeyValue("finish_reason", reader.finishReason())
        .log("electron stream finished");
    listener.accept(new ElectronEvent.Finished(reader.finishReason(), requestId, firstTokenNanos, attempts));
  }

  /** Reports the first delta once, before the event it came with. */
  private void noteFirstToken() {
    if (done || firstTokenNanos >= 0 || reader == null || !reader.sawDelta()) return;
    firstTokenNanos = clock.nanoTime() - sentNanos;
    if (firstTokenTimer != null) firstTokenTimer.cancel();
    listener.accept(new ElectronEvent.FirstToken(firstTokenNanos));
  }

  /** The stream broke after it opened: retry only when nothing reached the listener yet. */
  private void streamBroken(AgentException e) {
    if (reader != null && reader.sawDelta()) {
      reader.releaseText();
      if (done) return; // the listener cancelled while taking it
      fail(new AgentException(e.kind(), e.service(), e.getMessage(), false, e.status(), e.code(), requestId, e));
    } else {
      retryOrFail(e, -1);
    }
  }

  private void retryOrFail(AgentException error, long retryAfterMillis) {
    if (done) return;
    boolean streamed = reader != null && reader.sawDelta();
    if (!error.retriable() || streamed || attempts >= config.retry().maxAttempts()) {
      fail(error);
      return;
    }
    cleanUp(true);
    long delay = retryAfterMillis >= 0
        ? Math.min(retryAfterMillis, config.retry().maxBackoffMillis())
        : jittered(config.retry().backoffMillis(attempts + 1));
    callLog.warn(log).addKeyValue("attempt", attempts).addKeyValue("status", error.status())
        .addKeyValue("kind", error.kind()).addKeyValue("retry_in_ms", delay).log("electron request will be retried");
    reader = null;
    backoffTimer = clock.schedule(context, delay, this::attempt);
  }

  private void fail(AgentException error) {
    if (done) return;
    done = true;
    cleanUp(true);
    callLog.warn(log).addKeyValue("attempt", attempts).addKeyValue("status", error.status())
        .addKeyValue("kind", error.kind()).addKeyValue("code", error.code()).addKeyValue("error", error.getMessage())
        .log("electron request failed");
    AgentException withId = error.requestId() != null || requestId == null ? error
        : new AgentException(error.kind(), error.service(), error.getMessage(), error.retriable(), error.status(),
            error.code(), requestId, error.getCause());
    listener.accept(new ElectronEvent.Failed(withId, attempts));
  }

  /** Stops timers; with {@code abort}, resets the HTTP stream so its socket closes. Releases the slot. */
  private void cleanUp(boolean abort) {
    if (firstTokenTimer != null) firstTokenTimer.cancel();
    if (backoffTimer != null) backoffTimer.cancel();
    if (abort) {
      if (idleTimer != null) idleTimer.cancel();
      if (request != null) request.reset();
      request = null;
      releaseSlot();
    } else {
      // Wait for the response end to return the connection to the pool; the idle timer resets it if it never comes.
      armIdleTimer();
    }
  }

  private void releaseSlot() {
    if (idleTimer != null) idleTimer.cancel();
    if (ticket != null) ticket.release();
    ticket = null;
  }

  private void armFirstTokenTimer() {
    long limit = config.firstTokenTimeoutMillis();
    if (limit > 0) {
      firstTokenTimer = clock.schedule(context, limit, () -> {
        if (done || firstTokenNanos >= 0) return;
        fail(new AgentException(ErrorKind.TIMEOUT, ElectronErrors.SERVICE,
            "no first token within " + limit + " ms (electron.first_token_timeout_ms)", false, null, null,
            requestId, null));
      });
    }
    armIdleTimer();
  }

  /** One timer per request, re-armed lazily: a read only records its time, so no timer is set per chunk. */
  private void armIdleTimer() {
    long limit = idleLimit();
    if (limit <= 0) return;
    if (idleTimer != null) idleTimer.cancel();
    long waitMillis = Math.max(1, limit - (clock.nanoTime() - lastReadNanos) / 1_000_000);
    idleTimer = clock.schedule(context, waitMillis, this::idleCheck);
  }

  private long idleLimit() {
    return config.idleTimeoutMillis() > 0 || !done ? config.idleTimeoutMillis() : DRAIN_MILLIS;
  }

  private void idleCheck() {
    long limit = idleLimit();
    long idleMillis = (clock.nanoTime() - lastReadNanos) / 1_000_000;
    if (done) {
      // Finished at [DONE] but the server never ended the response: drop the connection and the slot.
      if (request != null) request.reset();
      request = null;
      releaseSlot();
      return;
    }
    if (idleMillis < limit) {
      armIdleTimer();
      return;
    }
    AgentException e = new AgentException(ErrorKind.TIMEOUT, ElectronErrors.SERVICE,
        "no data from Electron for " + idleMillis + " ms (electron.idle_timeout_ms=" + limit + ")", false, null, null,
        requestId, null);
    fail(e);
  }

  private AgentException connectionError(Throwable t) {
    if (t instanceof AgentException a) return a;
    if (t instanceof ConnectTimeoutException) {
      return new AgentException(ErrorKind.TIMEOUT, ElectronErrors.SERVICE, "could not connect to "
          + client.completionsUrl() + " within " + config.connectTimeoutMillis() + " ms", true, null, null, null, t);
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new AgentException(ErrorKind.CONNECTIVITY, ElectronErrors.SERVICE,
        "connection to " + client.completionsUrl() + " failed: " + message, true, null, null, requestId, t);
  }

  private long retryAfterMillis(String header) {
    if (header == null || header.isBlank()) return -1;
    String h = header.strip();
    try {
      return (long) (Double.parseDouble(h) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - clock.currentTimeMillis());
      } catch (RuntimeException notADate) {
        return -1;
      }
    }
  }

  private long jittered(long base) {
    double jitter = config.retry().jitter();
    if (jitter == 0 || base == 0) return base;
    double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.max(1, Math.round(base * factor));
  }

  private String requestIdOrLocal() {
    return requestId != null ? requestId.replaceAll("[^A-Za-z0-9]", "") : UUID.randomUUID().toString().substring(0, 8);
  }

  private AgentException cancelled() {
    return new AgentException(ErrorKind.CANCELLED, ElectronErrors.SERVICE, "cancelled");
  }

  private void onLoop(Runnable task) {
    if (loop != null && Thread.currentThread() == loop) task.run();
    else context.runOnContext(v -> task.run());
  }

  private final class ReaderSink implements ChunkReader.Sink {
    @Override
    public void onEvent(ElectronEvent event) {
      noteFirstToken();
      if (!done) listener.accept(event);
    }

    @Override
    public void onStreamError(JsonNode error) {
      fail(ElectronErrors.fromStream(error, requestId));
    }
  }
}
