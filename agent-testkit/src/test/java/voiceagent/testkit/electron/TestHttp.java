package voiceagent.testkit.electron;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain Vert.x HTTP client for the emulator tests: raw bodies, headers, and early closes. */
final class TestHttp {
  static final String USER_HI =
      "{\"model\":\"electron\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** A response as received; {@code failure} is set when the connection broke before the end. */
  record Response(int status, MultiMap headers, String body, Throwable failure) {
    String requestId() {
      return headers.get("X-Request-Id");
    }
  }

  private final Context context;
  private final HttpClient client;
  private final URI base;

  TestHttp(Vertx vertx, String baseUrl) {
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient();
    this.base = URI.create(baseUrl);
  }

  Response post(String json) throws Exception {
    return post(json, Map.of(), "/chat/completions");
  }

  Response post(String json, Map<String, String> headers, String path) throws Exception {
    return postAsync(json, headers, path, body -> false).get(10, TimeUnit.SECONDS);
  }

  /**
   * Posts and collects the body; once {@code closeWhen} holds for the body received so far, closes the connection
   * and completes with what was received.
   */
  CompletableFuture<Response> postAsync(String json, Map<String, String> headers, String path,
      Predicate<String> closeWhen) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost())
        .setPort(base.getPort()).setURI(base.getPath() + path).putHeader("Content-Type", "application/json");
    headers.forEach(options::putHeader);
    // Built on the client's context: the response handlers are then set before any byte of the body is delivered.
    context.runOnContext(v -> client.request(options)
        .compose(req -> req.send(json))
        .onFailure(result::completeExceptionally)
        .onSuccess(resp -> collect(resp, closeWhen, result)));
    return result;
  }

  CompletableFuture<Response> postAsync(String json) {
    return postAsync(json, Map.of(), "/chat/completions", body -> false);
  }

  private static void collect(HttpClientResponse resp, Predicate<String> closeWhen, CompletableFuture<Response> out) {
    StringBuilder body = new StringBuilder();
    resp.handler(chunk -> {
      body.append(chunk.toString());
      if (!out.isDone() && closeWhen.test(body.toString())) {
        out.complete(new Response(resp.statusCode(), resp.headers(), body.toString(), null));
        resp.request().connection().close();
      }
    });
    resp.exceptionHandler(e -> out.complete(new Response(resp.statusCode(), resp.headers(), body.toString(), e)));
    resp.endHandler(v -> out.complete(new Response(resp.statusCode(), resp.headers(), body.toString(), null)));
  }

  void close() throws Exception {
    client.close().await(5, TimeUnit.SECONDS);
  }
}
