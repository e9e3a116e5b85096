package voiceagent.server.internal.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web demo's HTTP server: the page's files at {@code /}, the call's mode at {@code /status}, and a call per
 * WebSocket at {@code /ws}. Each accepted socket becomes a {@link BrowserTransport} handed to the {@link CallStarter}
 * on the socket's own context, where the call then lives.
 *
 * <p>Lifecycle: {@link #start} binds, {@link #close} unbinds and closes every open socket (their calls see the page
 * hang up).
 *
 * <p>Thread contract: thread-safe; requests are served on the server's event loops.
 */
public final class DemoServer {
  private static final Logger log = LoggerFactory.getLogger(DemoServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The page's socket path; {@code app.js} connects to it. */
  public static final String SOCKET_PATH = "/ws";

  private final DemoAssets assets;
  private final DemoStatus status;
  private final CallStarter calls;
  private final AtomicLong nextCall = new AtomicLong(); // ids for log lines, shared by all loops
  private HttpServer server;

  /**
   * Whether the call runs on the emulators or on the live services, as the page and the terminal say it.
   *
   * <p>Thread contract: immutable.
   *
   * @param note what the page should tell the user about this mode, or null
   */
  public record DemoStatus(String mode, String detail, String note) {
    public DemoStatus(String mode, String detail) {
      this(mode, detail, null);
    }

    public ObjectNode json() {
      ObjectNode o = JSON.createObjectNode().put("type", "status").put("mode", mode).put("detail", detail);
      if (note != null) o.put("note", note);
      return o;
    }
  }

  /**
   * Starts a call on a page's transport: the call starts the transport and sends the page its events with
   * {@link BrowserTransport#sendEvent}.
   *
   * <p>Thread contract: called on the accepted socket's context, before the transport is started.
   */
  @FunctionalInterface
  public interface CallStarter {
    void start(BrowserTransport transport);
  }

  private DemoServer(DemoAssets assets, DemoStatus status, CallStarter calls) {
    this.assets = assets;
    this.status = status;
    this.calls = calls;
  }

  /** Binds {@code host:port} (0: a free port); fails when the port is taken. */
  public static Future<DemoServer> start(Vertx vertx, String host, int port, DemoAssets assets, DemoStatus status,
      CallStarter calls) {
    DemoServer demo = new DemoServer(assets, status, calls);
    return vertx.createHttpServer().requestHandler(demo::onRequest).listen(port, host).map(s -> {
      demo.server = s;
      return demo;
    });
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void onRequest(HttpServerRequest req) {
    String path = req.path();
    if (path.equals(SOCKET_PATH)) {
      if (!req.canUpgradeToWebSocket()) {
        req.response().setStatusCode(400).end("expected a WebSocket upgrade on " + SOCKET_PATH);
        return;
      }
      String origin = req.getHeader("Origin");
      if (origin != null && !isLoopback(origin)) {
        // Another site open in the same browser must not start calls (and spend the key's credit) on this server.
        req.response().setStatusCode(403).end("calls are taken from the demo page only, not from " + origin);
        return;
      }
      req.toWebSocket().onSuccess(socket -> {
        BrowserTransport transport = new BrowserTransport(socket, "demo-" + nextCall.incrementAndGet());
        log.atInfo().addKeyValue("call_id", transport.callId()).log("page connected");
        transport.sendEvent(status.json());
        calls.start(transport);
      });
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    if (path.equals("/status")) {
      ObjectNode body = status.json();
      body.remove("type");
      req.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(body.toString());
      return;
    }
    DemoAssets.Asset asset = assets.get(path);
    if (asset == null) {
      req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("no such page: " + path);
      return;
    }
    // no-cache: a rebuilt jar's page is picked up at the next load, and loopback makes revalidation free.
    req.response().putHeader("Content-Type", asset.contentType()).putHeader("Cache-Control", "no-cache")
        .end(asset.body());
  }

  /** Whether a page's origin is this machine (the page itself, on 127.0.0.1, localhost or [::1]). */
  static boolean isLoopback(String origin) {
    try {
      String host = java.net.URI.create(origin).getHost();
      return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
