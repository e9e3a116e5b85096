package voiceagent.core.internal.electron;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.function.Consumer;
import voiceagent.common.Clock;
import voiceagent.core.CallLog;
import voiceagent.core.ChatRequest;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.core.ElectronStream;
import voiceagent.core.config.ElectronConfig;

/**
 * The {@link ElectronClient}: one keep-alive HTTP client, and the {@link Governor} of its API key (shared with any
 * other client of the same key in this Vert.x instance).
 *
 * <p>Thread contract: thread-safe (immutable fields; the governor and the Vert.x client are thread-safe).
 */
public final class DefaultElectronClient implements ElectronClient {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DefaultElectronClient.class);
  private final Vertx vertx;
  private final ElectronConfig config;
  private final Clock clock;
  private final HttpClientAgent http;
  private final Governor governor;
  private final String completionsUrl;

  public DefaultElectronClient(Vertx vertx, ElectronConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.completionsUrl = config.baseUrl() + "/chat/completions";
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
        .setDecompressionSupported(true);
    // A slot beyond the governor's cap is never used; a little headroom lets a cancelled stream's socket close
    // while its successor already connects.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.maxConcurrency() + 2);
    this.http = vertx.createHttpClient(options, pool);
    this.governor = Governor.forKey(vertx, config.baseUrl(), config.apiKey() == null ? null : config.apiKey().reveal(),
        config.maxConcurrency(), config.maxQueueWaitMillis(), clock);
    if (governor.limit() != config.maxConcurrency()) {
      log.atWarn().addKeyValue("configured", config.maxConcurrency()).addKeyValue("shared_limit", governor.limit())
          .log("another client of the same API key set the concurrency limit first; sharing it");
    }
  }

  @Override
  public ElectronStream stream(ChatRequest request, CallLog log, Consumer<ElectronEvent> listener) {
    Context context = Vertx.currentContext();
    if (context == null) context = vertx.getOrCreateContext();
    ElectronExchange exchange = new ElectronExchange(this, context, RequestBody.of(request), log, listener);
    exchange.start();
    return exchange;
  }

  @Override
  public int queueDepth() {
    return governor.queueDepth();
  }

  @Override
  public int inFlight() {
    return governor.inFlight();
  }

  @Override
  public void close() {
    http.close();
  }

  ElectronConfig config() {
    return config;
  }

  Clock clock() {
    return clock;
  }

  HttpClientAgent http() {
    return http;
  }

  Governor governor() {
    return governor;
  }

  String completionsUrl() {
    return completionsUrl;
  }
}
