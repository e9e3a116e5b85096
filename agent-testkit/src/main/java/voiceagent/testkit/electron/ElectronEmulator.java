package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.testkit.electron.ErrorReply.Detail;

/**
 * An in-process Electron: an HTTP server on 127.0.0.1 (port 0) that answers {@code POST {baseUrl}/chat/completions}
 * like Smallest's OpenAI-compatible endpoint. It authenticates and validates like Electron, enforces the plan's
 * concurrency cap (429 "Concurrency limit reached"), counts tokens with JTokkit, simulates the prefix cache, puts
 * {@code X-Request-Id} on every response, and answers with scripted replies ({@link #enqueue}), a fallback
 * ({@link #responder}), or its rule-based model.
 *
 * <p>Order of checks for each request: path and method (404), {@code Authorization} (401), validation (400),
 * context window (400), concurrency (429); only then is a scripted reply taken from the queue. A request holds a
 * concurrency slot from then until its response ends, the script cuts it, or the client closes the connection.
 *
 * <p>Usage of a scripted stream (unless it overrides it): {@code prompt_tokens} counts the canonical prompt text
 * (leading system messages, then {@code <|tools|>} and the compact tools JSON, then the other messages, each as
 * {@code <|role|>\n} + content + {@code \n}, tool calls as compact JSON); {@code completion_tokens} counts the
 * reasoning, content and tool-call arguments sent; {@code cached_tokens} comes from the prefix-cache simulation
 * described in {@link ElectronEmulatorOptions}. Usage is sent when the request sets
 * {@code stream_options.include_usage}, or when the script places it explicitly. A request with {@code stream: false}
 * gets one {@code chat.completion} object built from the same script (its timings and faults do not apply); so does
 * any request when the script says {@link ElectronReplyBuilder#ignoreStream()}.
 *
 * <p>Lifecycle: {@link #start} binds the port; {@link #close} closes the server and every open connection.
 *
 * <p>Thread contract: thread-safe. Requests are handled on the event loop of the context the server was started
 * from; the public methods may be called from any thread, and the blocking ones only from test threads.
 */
public final class ElectronEmulator {
  private static final Logger log = LoggerFactory.getLogger(ElectronEmulator.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PATH = "/waves/v1/chat/completions";

  private final ElectronEmulatorOptions options;
  private final Context context;
  private final PromptText tokens;
  private final PrefixCache cache; // loop
  private final Queue<ElectronReply> queue = new ConcurrentLinkedQueue<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final BlockingQueue<RecordedRequest> arrivals = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Function<RecordedRequest, ElectronReply> ruleBasedModel;
  private volatile Function<RecordedRequest, ElectronReply> responder;
  private volatile int contextTokens = RequestValidator.CONTEXT_TOKENS;
  private HttpServer server; // set once while starting
  private volatile boolean closing;
  private volatile boolean recording = true;
  private volatile Duration firstTokenDelay = Duration.ZERO;

  private ElectronEmulator(ElectronEmulatorOptions options, Context context, PromptText tokens) {
    this.options = options;
    this.context = context;
    this.tokens = tokens;
    this.cache = new PrefixCache(options.cacheEntries(), options.cacheBlockTokens(), options.cacheMinTokens(),
        options.cacheTtl().toNanos());
    this.ruleBasedModel = new RuleBasedModel(tokens);
    this.responder = ruleBasedModel;
  }

  /** Starts an emulator on 127.0.0.1 with a free port; its requests run on the caller's context (or a new one). */
  public static Future<ElectronEmulator> start(Vertx vertx, ElectronEmulatorOptions options) {
    return start(vertx, options, 0);
  }

  /** As {@link #start(Vertx, ElectronEmulatorOptions)} on loopback port {@code port} (0: a free one). */
  public static Future<ElectronEmulator> start(Vertx vertx, ElectronEmulatorOptions options, int port) {
    Objects.requireNonNull(options, "options");
    Context context = vertx.getOrCreateContext();
    Promise<ElectronEmulator> started = Promise.promise();
    context.runOnContext(v -> vertx.executeBlocking(() -> PromptText.load(options.tokenEncoding()))
        .map(tokens -> new ElectronEmulator(options, context, tokens))
        .compose(e -> e.listen(port))
        .onComplete(started));
    return started.future();
  }

  private Future<ElectronEmulator> listen(int port) {
    server = context.owner().createHttpServer().requestHandler(this::handle);
    return server.listen(port, "127.0.0.1").map(s -> this);
  }

  /** {@code http://127.0.0.1:PORT/waves/v1}: the base URL an OpenAI-style client is configured with. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/waves/v1";
  }

  /** Queues replies: the next requests that pass the checks get them, in order. */
  public ElectronEmulator enqueue(ElectronReply... replies) {
    queue.addAll(List.of(replies));
    return this;
  }

  /**
   * Sets the reply used when the queue is empty (default: {@link #ruleBasedModel()}). It runs on the emulator's event
   * loop and must not block; a {@code RuntimeException} from it becomes a 500 error reply.
   */
  public ElectronEmulator responder(Function<RecordedRequest, ElectronReply> fallback) {
    this.responder = Objects.requireNonNull(fallback, "fallback");
    return this;
  }

  /**
   * Sets the context window that prompt plus {@code max_tokens} must fit (default Electron's 32,768 tokens): a
   * smaller one lets a test overflow it cheaply. A request over it gets Electron's 400 naming the context length.
   */
  public ElectronEmulator contextWindow(int tokens) {
    if (tokens < 1) throw new IllegalArgumentException("contextWindow must be >= 1, got " + tokens);
    this.contextTokens = tokens;
    return this;
  }

  /** The default responder, for fallbacks that handle some requests and delegate the rest. See {@link RuleBasedModel}. */
  public Function<RecordedRequest, ElectronReply> ruleBasedModel() {
    return ruleBasedModel;
  }

  /**
   * The least time from a request to its first token for every streamed reply (a scripted reply's own longer delay
   * wins): the service's time to first token, for load tests on realistic timings. Default zero.
   */
  public ElectronEmulator firstTokenDelay(Duration delay) {
    if (delay.isNegative()) throw new IllegalArgumentException("delay=" + delay + " is negative");
    this.firstTokenDelay = delay;
    return this;
  }

  /**
   * Whether requests are kept for {@link #requests} and {@link #takeRequest} (default true); off for long runs such as
   * load tests, where every call's prompt would be kept.
   */
  public ElectronEmulator recording(boolean on) {
    this.recording = on;
    return this;
  }

  /** Every request received so far, in arrival order, as current snapshots. */
  public List<RecordedRequest> requests() {
    return exchanges.stream().map(Exchange::snapshot).toList();
  }

  /** The next request in arrival order (each is returned once), or {@code null} after the timeout. Test threads only. */
  public RecordedRequest takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    return arrivals.poll(timeout, unit);
  }

  /**
   * Waits until the response to {@code requestId} is over (ended, cut, or closed by the client) and returns its final
   * snapshot, or {@code null} after the timeout. Test threads only.
   */
  public RecordedRequest awaitFinished(String requestId, long timeout, TimeUnit unit) throws InterruptedException {
    Exchange ex = exchanges.stream().filter(e -> e.requestId.equals(requestId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no request with requestId=" + requestId));
    return ex.finished.await(timeout, unit) ? ex.snapshot() : null;
  }

  /** Requests holding a concurrency slot now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most requests that held a slot at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Closes the server and its open connections (stalled streams included). */
  public Future<Void> close() {
    closing = true;
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> onBody(request, body));
  }

  private void onBody(HttpServerRequest request, Buffer buffer) {
    String requestId = UUID.randomUUID().toString();
    String body = buffer.toString();
    JsonNode json = parse(body);
    Exchange ex = new Exchange(requestId, redactedHeaders(request), body, json, options.clock().nanoTime());
    if (recording) {
      exchanges.add(ex);
      arrivals.add(ex.snapshot());
    }
    request.response().putHeader("X-Request-Id", requestId);
    log.atDebug().addKeyValue("request_id", requestId).addKeyValue("path", request.path()).log("request received");

    if (request.method() != HttpMethod.POST || !PATH.equals(request.path())) {
      sendError(request, ex, ErrorReply.standard(404), List.of());
      return;
    }
    if (!authorized(request.getHeader("Authorization"))) {
      sendError(request, ex, ErrorReply.standard(401), List.of());
      return;
    }
    List<Detail> problems = RequestValidator.validate(json);
    int[] prompt = problems.isEmpty() ? tokens.promptTokens(json) : null;
    if (problems.isEmpty()) problems = RequestValidator.validateContext(json, prompt.length, contextTokens);
    if (!problems.isEmpty()) {
      sendError(request, ex, ErrorReply.standard(400), problems);
      return;
    }
    if (inFlight.get() >= options.concurrencyLimit()) {
      log.atDebug().addKeyValue("request_id", requestId).addKeyValue("in_flight", inFlight.get())
          .log("concurrency limit reached");
      sendError(request, ex, ErrorReply.concurrency(), List.of());
      return;
    }
    ex.holdsSlot = true;
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    request.response().closeHandler(v -> finish(ex, !closing));

    ElectronReply reply = queue.poll();
    try {
      if (reply == null) reply = Objects.requireNonNull(responder.apply(ex.snapshot()), "responder returned null");
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("request_id", requestId).setCause(e).log("responder failed");
      reply = ErrorReply.standard(500);
    }
    switch (reply) {
      case ErrorReply error -> sendError(request, ex, error,
          List.of(new Detail("custom", "scripted failure", List.of())));
      case RawSse raw -> new StreamPlayer(context, options.clock(), request, ex,
          raw.pieces().stream().map(p -> new StreamRenderer.Frame(p, true)).toList(),
          StreamPlayer.Plan.IMMEDIATE, e -> finish(e, false)).start();
      case ScriptedStream stream -> play(request, ex, stream.script(), prompt);
    }
  }

  private void play(HttpServerRequest request, Exchange ex, ElectronReplyBuilder script, int[] prompt) {
    int cached = cache.lookupAndStore(prompt, options.clock().nanoTime());
    var rendering = new StreamRenderer.Request(ex.requestId, options.clock().currentTimeMillis() / 1000,
        options.model(), prompt.length, cached, ex.json.path("stream_options").path("include_usage").asBoolean(false),
        tokens);
    if (!ex.json.path("stream").asBoolean(false) || script.ignoreStream) {
      request.response().putHeader("Content-Type", "application/json")
          .end(StreamRenderer.completion(script, rendering)).onComplete(v -> finish(ex, false));
      return;
    }
    Duration firstToken = script.firstTokenDelay.compareTo(firstTokenDelay) >= 0 ? script.firstTokenDelay
        : firstTokenDelay;
    var plan = new StreamPlayer.Plan(firstToken, script.interChunkDelay, script.cutAfterChunks,
        script.stallAfterChunks, script.keepOpenAfterDone);
    new StreamPlayer(context, options.clock(), request, ex, StreamRenderer.render(script, rendering), plan,
        e -> finish(e, false)).start();
  }

  private void sendError(HttpServerRequest request, Exchange ex, ErrorReply error, List<Detail> details) {
    var response = request.response().setStatusCode(error.status());
    error.headers().forEach(response::putHeader);
    if (!response.headers().contains("Content-Type")) {
      response.putHeader("Content-Type", error.rawBody() == null ? "application/json" : "text/plain; charset=utf-8");
    }
    response.end(error.body(ex.requestId, details)).onComplete(v -> finish(ex, false));
  }

  /** Ends the exchange once: releases its slot, cancels its timer, and wakes {@link #awaitFinished}. */
  private void finish(Exchange ex, boolean byClient) {
    if (ex.done) return;
    ex.done = true;
    if (ex.timer != null) ex.timer.cancel();
    if (ex.holdsSlot) inFlight.decrementAndGet();
    ex.cancelledByClient = byClient;
    ex.finished.countDown();
    if (byClient) log.atDebug().addKeyValue("request_id", ex.requestId).log("client closed the stream");
  }

  private boolean authorized(String authorization) {
    if (options.apiKey() == null) return true;
    return ("Bearer " + options.apiKey().reveal()).equals(authorization);
  }

  private static Map<String, String> redactedHeaders(HttpServerRequest request) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    headers.computeIfPresent("Authorization", (k, v) -> v.regionMatches(true, 0, "Bearer ", 0, 7)
        ? "Bearer REDACTED" : "REDACTED");
    return Collections.unmodifiableMap(headers);
  }

  private static JsonNode parse(String body) {
    try {
      return body.isBlank() ? null : MAPPER.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }
}
