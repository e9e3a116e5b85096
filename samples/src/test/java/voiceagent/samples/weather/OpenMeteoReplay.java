package voiceagent.samples.weather;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import voiceagent.testkit.BlockedThreadGuard;

/**
 * A stand-in for Open-Meteo on 127.0.0.1 (port 0): {@code /v1/search} and {@code /v1/forecast} answer with the
 * replies a test sets (bodies written from Open-Meteo's documented format, in {@code src/test/resources/open-meteo}),
 * and every request URI is recorded. Thread contract: thread-safe; requests are served on a Vert.x event loop.
 */
final class OpenMeteoReplay implements AutoCloseable {
  static final String SEARCH = "/v1/search";
  static final String FORECAST = "/v1/forecast";

  /** What one path answers. */
  sealed interface Reply {
    /** A status and a body from {@code src/test/resources/open-meteo/<file>}. */
    record Body(int status, String file) implements Reply {}

    /** Headers and the first bytes of the body, then nothing: the connection stays open until the client gives up. */
    record StallAfterHeaders() implements Reply {}

    /** No answer at all. */
    record Silence() implements Reply {}
  }

  private final Vertx vertx = BlockedThreadGuard.newVertx();
  private final HttpServer server;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final Map<String, Reply> byName = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  OpenMeteoReplay() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
  }

  /** Sets what {@code path} answers. */
  OpenMeteoReplay on(String path, Reply reply) {
    replies.put(path, reply);
    return this;
  }

  /** Sets what the geocoding search answers for {@code name} (exactly as decoded from the query). */
  OpenMeteoReplay city(String name, Reply reply) {
    byName.put(name, reply);
    return this;
  }

  /** The configuration pointing at this server, with {@code timeoutMillis} per lookup. */
  WeatherConfig config(long timeoutMillis) {
    String base = "http://127.0.0.1:" + server.actualPort();
    return new WeatherConfig(WeatherConfig.Source.OPEN_METEO, base + SEARCH, base + FORECAST, timeoutMillis);
  }

  private void handle(HttpServerRequest request) {
    requests.add(request.uri());
    Reply reply = SEARCH.equals(request.path()) && request.getParam("name") != null
        ? byName.getOrDefault(request.getParam("name"), replies.get(SEARCH)) : replies.get(request.path());
    switch (reply) {
      case null -> request.response().setStatusCode(404).end();
      case Reply.Body b -> request.response().setStatusCode(b.status())
          .putHeader("Content-Type", "application/json; charset=utf-8").end(resource(b.file()));
      case Reply.StallAfterHeaders s -> request.response().setChunked(true)
          .putHeader("Content-Type", "application/json; charset=utf-8").write("{\"latitude\":");
      case Reply.Silence s -> { }
    }
  }

  static String resource(String file) {
    try (InputStream in = OpenMeteoReplay.class.getResourceAsStream("/open-meteo/" + file)) {
      if (in == null) throw new IllegalArgumentException("no test resource open-meteo/" + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
