package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voiceagent.core.spi.MediaTransport;

/** The demo's HTTP surface: the page, its status, the call socket, and what it refuses. */
class DemoServerTest {
  private Vertx vertx;
  private DemoServer server;
  private HttpClient http;
  private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

  @BeforeEach
  void serve() {
    vertx = Vertx.vertx();
    server = DemoServer.start(vertx, "127.0.0.1", 0, DemoAssets.load(),
        new DemoServer.DemoStatus("emulator", "emulator: offline, test"), transport -> {
          calls.add(transport.callId());
          transport.start(new MediaTransport.TransportSink() {
            @Override public void onAudio(byte[] data, int off, int len) { }
            @Override public void onMarkPlayed(String name) { }
            @Override public void onCleared() { }
            @Override public void onDtmf(String digits) { }
            @Override public void onHangUp(String reason) { }
          });
        }).await();
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private record Reply(int statusCode, String contentType, String body) {}

  private Reply request(HttpMethod method, String path) {
    return http.request(method, server.port(), "127.0.0.1", path).compose(HttpClientRequest::send)
        .compose(r -> r.body().map(b -> new Reply(r.statusCode(), r.getHeader("Content-Type"), b.toString())))
        .await();
  }

  @Test
  void servesThePageItsFilesAndItsStatus() {
    Reply page = request(HttpMethod.GET, "/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.contentType());
    assertTrue(page.body().contains("data-testid=\"transcript\""));
    assertEquals(page.body(), request(HttpMethod.GET, "/index.html").body(), "a cached file serves again, whole");
    assertEquals(200, request(HttpMethod.GET, "/app.js").statusCode());
    assertEquals("{\"mode\":\"emulator\",\"detail\":\"emulator: offline, test\"}",
        request(HttpMethod.GET, "/status").body());
  }

  @Test
  void unknownPathsAndOtherMethodsAreRefused() {
    assertEquals(404, request(HttpMethod.GET, "/secrets.yaml").statusCode());
    assertEquals(405, request(HttpMethod.POST, "/").statusCode());
    assertEquals(400, request(HttpMethod.GET, DemoServer.SOCKET_PATH).statusCode(), "a plain GET is no call");
  }

  @Test
  void thePagesSocketStartsACallWhoseFirstFrameIsTheStatus() throws Exception {
    Promise<String> first = Promise.promise();
    // The handler is set on the loop as the socket opens, before the server's first frame can be read.
    connect("http://127.0.0.1:" + server.port()).onSuccess(page -> page.textMessageHandler(first::tryComplete));
    assertEquals("{\"type\":\"status\",\"mode\":\"emulator\",\"detail\":\"emulator: offline, test\"}",
        first.future().await());
    assertEquals("demo-1", calls.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aSocketFromAnotherSiteIsRefused() {
    Throwable refused = connect("https://evil.example").<Throwable>map(ws -> null)
        .recover(io.vertx.core.Future::succeededFuture).await();
    assertTrue(refused instanceof UpgradeRejectedException r && r.getStatus() == 403, String.valueOf(refused));
    assertNull(calls.poll(), "no call was started");
  }

  private io.vertx.core.Future<WebSocket> connect(String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI(DemoServer.SOCKET_PATH).addHeader("Origin", origin);
    return vertx.createWebSocketClient().connect(options);
  }
}
