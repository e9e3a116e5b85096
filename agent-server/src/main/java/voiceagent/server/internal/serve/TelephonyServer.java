package voiceagent.server.internal.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.ElectronClient;
import voiceagent.core.VoiceAgent;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierControl;

/**
 * The telephony server: carriers' media-stream WebSockets ({@code /twilio/stream}, {@code /telnyx/stream},
 * {@code /plivo/stream}, {@code /vonage/stream}, {@code /exotel/stream}), Twilio's answer webhook
 * ({@code POST /twilio/voice}), {@code /health} (JSON) and {@code /metrics} (Prometheus).
 *
 * <p>Lifecycle: {@link #start} binds; {@link #shutdown} drains: new calls are refused (503, Twilio's webhook answers
 * the busy message), live calls may finish for {@code server.shutdown_grace_ms}, then each is ended with the goodbye
 * line (the session hangs up once it played), and the socket is unbound once every call ended or
 * {@link #GOODBYE_LIMIT_MILLIS} later.
 *
 * <p>Thread contract: thread-safe; requests are served on the server's event loops, each call on its socket's.
 */
public final class TelephonyServer {
  private static final Logger log = LoggerFactory.getLogger(TelephonyServer.class);
  /** How long the goodbye of a call ended by shutdown may take to play: a sentence or two, with room to spare. */
  static final long GOODBYE_LIMIT_MILLIS = 15_000;

  private final Vertx vertx;
  private final ServeSettings settings;
  private final LiveCalls calls;
  private final CarrierCalls carrierCalls;
  private final TwilioWebhook webhook;
  private final ServerMetrics metrics;
  private final UpstreamHealth upstreams;
  private final AtomicReference<Future<Void>> shutdown = new AtomicReference<>();
  private HttpServer server; // set once by start

  private TelephonyServer(Vertx vertx, ServeSettings settings, VoiceAgent agent, ElectronClient electron,
      Upstreams upstreams, ServerMetrics metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.metrics = metrics;
    this.calls = new LiveCalls(settings.maxCalls());
    this.upstreams = new UpstreamHealth(upstreams, electron);
    Credentials credentials = new Credentials(settings);
    CarrierControl twilio = settings.twilioRest() == null ? null : CarrierControl.twilio(vertx, settings.twilioRest());
    this.carrierCalls = new CarrierCalls(agent, credentials, settings.limits(), calls, metrics, twilio,
        settings.transferTo(), this.upstreams);
    this.webhook = new TwilioWebhook(credentials, calls, carrierCalls, metrics, settings.busyMessage());
    metrics.bind(calls, electron);
    metrics.registry().gauge("voice_agent_carrier_sockets_open", carrierCalls, CarrierCalls::openSockets);
  }

  /**
   * Binds {@code settings.host():settings.port()} (0: a free port) and serves calls with {@code agent}, whose
   * Electron client is {@code electron} (its governor is reported) and whose meters are {@code metrics}'.
   */
  public static Future<TelephonyServer> start(Vertx vertx, ServeSettings settings, VoiceAgent agent,
      ElectronClient electron, Upstreams upstreams, ServerMetrics metrics) {
    TelephonyServer t = new TelephonyServer(vertx, settings, agent, electron, upstreams, metrics);
    // Frames up to the message limit (plus room) reach the transport, which ends the call with a log line saying
    // why; a smaller Vert.x limit would close the socket without one.
    int frame = settings.limits().maxMessageBytes() + 1024;
    HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
        .setMaxWebSocketFrameSize(frame).setMaxWebSocketMessageSize(frame)
        .setMaxFormAttributeSize(TwilioWebhook.maxFormAttributeBytes());
    return vertx.createHttpServer(options).requestHandler(t::onRequest).listen().map(s -> {
      t.server = s;
      return t;
    });
  }

  public int port() {
    return server.actualPort();
  }

  /** Calls holding a slot (running, or starting). */
  public int liveCalls() {
    return calls.active();
  }

  /** Completes when no call holds a slot (at once when none does). */
  public Future<Void> callsEnded() {
    return calls.whenEmpty();
  }

  /** Carrier WebSockets open now. */
  public int openSockets() {
    return carrierCalls.openSockets();
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  private void onRequest(HttpServerRequest req) {
    String path = req.path();
    Carrier carrier = Carrier.forPath(path);
    if (carrier != null) {
      carrierCalls.onUpgrade(carrier, req);
    } else if (path.equals("/twilio/voice")) {
      if (req.method() == HttpMethod.POST) webhook.onRequest(req);
      else req.response().setStatusCode(405).putHeader("Allow", "POST").end();
    } else if (path.equals("/health")) {
      health(req);
    } else if (path.equals("/metrics")) {
      req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
    } else {
      req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("no such endpoint: " + path + "\n");
    }
  }

  private void health(HttpServerRequest req) {
    boolean draining = carrierCalls.draining();
    ObjectNode body = JsonNodeFactory.instance.objectNode()
        .put("status", draining ? "draining" : upstreams.degraded() ? "degraded" : "ok")
        .put("live_calls", calls.active()).put("max_calls", calls.max())
        .put("carrier_sockets", carrierCalls.openSockets());
    body.set("upstreams", upstreams.json());
    // 503 while draining, so a load balancer stops sending calls here; degraded still takes calls.
    req.response().setStatusCode(draining ? 503 : 200).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.toString());
  }

  /**
   * Drains and stops (idempotent: later calls get the same future): refuses new calls, lets live ones run for the
   * grace period, then ends each with the goodbye, and unbinds when all ended or the goodbye limit passed.
   */
  public Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    if (!shutdown.compareAndSet(null, done.future())) return shutdown.get();
    carrierCalls.drain();
    log.atInfo().addKeyValue("live_calls", calls.active()).addKeyValue("grace_ms", settings.shutdownGraceMs())
        .log("shutting down: new calls refused, live calls may finish");
    long grace = vertx.setTimer(Math.max(1, settings.shutdownGraceMs()), id -> carrierCalls.endAll());
    Promise<Void> limit = Promise.promise();
    long hard = vertx.setTimer(settings.shutdownGraceMs() + GOODBYE_LIMIT_MILLIS, id -> {
      log.atWarn().addKeyValue("live_calls", calls.active()).log("calls still live after the goodbye limit; closing");
      limit.tryComplete();
    });
    Future.any(calls.whenEmpty(), limit.future()).onComplete(v -> {
      vertx.cancelTimer(grace);
      vertx.cancelTimer(hard);
      server.close().onComplete(c -> {
        log.atInfo().log("server stopped");
        done.complete();
      });
    });
    return done.future();
  }
}
