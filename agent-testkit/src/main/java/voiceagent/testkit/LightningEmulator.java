package voiceagent.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import voiceagent.testkit.internal.lightning.EmulatorConnection;
import voiceagent.testkit.internal.lightning.EmulatorFault;
import voiceagent.testkit.internal.lightning.EmulatorHttp;
import voiceagent.testkit.internal.lightning.EmulatorState;
import voiceagent.testkit.internal.lightning.EmulatorVoice;

/**
 * An in-process Lightning TTS service on loopback speaking the real protocol, with real speech from an offline
 * {@link SpeechSynthesizer}: WebSocket {@code /waves/v1/tts/live}, SSE {@code POST /waves/v1/tts/live}, HTTP
 * {@code POST /waves/v1/tts}, and HTTP 410 {@code MODEL_DEPRECATED} on retired {@code lightning-v2} /
 * {@code lightning-large} routes. Point {@code LIGHTNING_BASE_URL} at {@link #baseUrl()}.
 *
 * <p>Faults are values applied to the next synthesis ({@link #failNext}, {@link #stallNext}, {@link #closeMidStream})
 * or as a mode ({@link #closeAfterComplete}). A wrong or missing key is answered 401 when
 * {@link LightningEmulatorOptions#apiKey()} is set.
 *
 * <p>Thread contract: thread-safe; tests call it from their own thread, connections run on event loops.
 */
public final class LightningEmulator {
  private static final String WS_PATH = "/waves/v1/tts/live";
  private static final String HTTP_PATH = "/waves/v1/tts";

  private final LightningEmulatorOptions options;
  private final ExecutorService synthesisThreads = Executors.newVirtualThreadPerTaskExecutor();
  private final EmulatorVoice voice;
  private final EmulatorHttp http;
  private final EmulatorState state = new State();
  private final ConcurrentLinkedQueue<EmulatorFault> faults = new ConcurrentLinkedQueue<>();
  private final CopyOnWriteArrayList<JsonObject> received = new CopyOnWriteArrayList<>();
  private final AtomicLong characters = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closeAfterComplete;
  private volatile boolean recording = true;
  private volatile long firstAudioMillis;
  private volatile HttpServer server;

  private LightningEmulator(LightningEmulatorOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.voice = new EmulatorVoice(options.synthesizer(), synthesisThreads);
    this.http = new EmulatorHttp(state);
  }

  /** Starts the emulator on a free loopback port. */
  public static Future<LightningEmulator> start(Vertx vertx, LightningEmulatorOptions options) {
    return start(vertx, options, 0);
  }

  /** Starts the emulator on loopback port {@code port} (0: a free one). */
  public static Future<LightningEmulator> start(Vertx vertx, LightningEmulatorOptions options, int port) {
    LightningEmulator emulator = new LightningEmulator(options);
    HttpServerOptions serverOptions = new HttpServerOptions().setHost("127.0.0.1").setPort(port)
        .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 22);
    return vertx.createHttpServer(serverOptions)
        .requestHandler(emulator::route)
        .listen()
        .map(s -> {
          emulator.server = s;
          return emulator;
        });
  }

  /** {@code ws://127.0.0.1:PORT}: the value for {@code LIGHTNING_BASE_URL}. */
  public String baseUrl() {
    return "ws://127.0.0.1:" + server.actualPort();
  }

  /** The next synthesis answers an error frame (HTTP 500 in HTTP modes) with {@code message}. */
  public void failNext(String message) {
    faults.add(new EmulatorFault.Fail(message));
  }

  /** The next WebSocket synthesis is accepted and never answered. */
  public void stallNext() {
    faults.add(new EmulatorFault.Stall());
  }

  /** The next WebSocket synthesis closes its socket (code 1011) after {@code afterChunks} chunks. */
  public void closeMidStream(int afterChunks) {
    faults.add(new EmulatorFault.CloseMidStream(afterChunks));
  }

  /** Whether sockets close after each {@code complete}, as the vendor's spec says they do. */
  public void closeAfterComplete(boolean close) {
    closeAfterComplete = close;
  }

  /** The first audio chunk of each synthesis leaves {@code millis} after its flush at the earliest (default 0). */
  public void firstAudioDelay(long millis) {
    if (millis < 0) throw new IllegalArgumentException("millis=" + millis + " is negative");
    firstAudioMillis = millis;
  }

  /** Whether {@link #received} keeps every message (default true); off for long runs such as load tests. */
  public void recording(boolean on) {
    recording = on;
  }

  /** Every request body and WebSocket message received, in order. */
  public List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** Characters synthesized so far (what the service bills). */
  public long charactersSynthesized() {
    return characters.get();
  }

  /** WebSocket connections accepted so far. */
  public int connectionsAccepted() {
    return connections.get();
  }

  public Future<Void> close() {
    synthesisThreads.shutdown();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void route(HttpServerRequest req) {
    String path = req.path();
    if (path.startsWith("/waves/v1/lightning-v2/") || path.startsWith("/waves/v1/lightning-large/")) {
      req.response().setStatusCode(410).putHeader("Content-Type", "application/json")
          .end(EmulatorState.modelDeprecated(path).encode());
      return;
    }
    boolean known = path.equals(WS_PATH) || path.equals(HTTP_PATH);
    if (!known) {
      EmulatorHttp.error(req.response(), 404, "no route " + path);
      return;
    }
    if (!authorized(req)) {
      EmulatorHttp.error(req.response(), 401, "Invalid API key");
      return;
    }
    if (path.equals(WS_PATH) && req.canUpgradeToWebSocket()) {
      int idle = idleSeconds(req.getParam("timeout"));
      req.toWebSocket().onSuccess(ws -> {
        connections.incrementAndGet();
        new EmulatorConnection(ws, Vertx.currentContext(), state, idle);
      });
    } else if (req.method() == HttpMethod.POST) {
      http.handle(req, path.equals(WS_PATH));
    } else {
      EmulatorHttp.error(req.response(), 405, "use POST or a WebSocket upgrade");
    }
  }

  private boolean authorized(HttpServerRequest req) {
    return options.apiKey() == null || ("Bearer " + options.apiKey()).equals(req.getHeader("Authorization"));
  }

  private int idleSeconds(String timeout) {
    try {
      return timeout == null ? options.idleTimeoutSeconds() : Math.max(1, Integer.parseInt(timeout));
    } catch (NumberFormatException e) {
      return options.idleTimeoutSeconds();
    }
  }

  /** The options this emulator runs with. */
  public LightningEmulatorOptions options() {
    return options;
  }

  /** What connections and HTTP handlers share with the emulator. */
  private final class State implements EmulatorState {
    @Override
    public LightningEmulatorOptions options() {
      return options;
    }

    @Override
    public EmulatorVoice voice() {
      return voice;
    }

    @Override
    public EmulatorFault takeFault() {
      return faults.poll();
    }

    @Override
    public boolean closeAfterComplete() {
      return closeAfterComplete;
    }

    @Override
    public void record(JsonObject message) {
      if (recording) received.add(message);
    }

    @Override
    public long firstAudioMillis() {
      return firstAudioMillis;
    }

    @Override
    public void addCharacters(int count) {
      characters.addAndGet(count);
    }
  }
}
