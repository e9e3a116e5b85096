package voiceagent.tools.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.Secret;
import voiceagent.tools.internal.dispatch.Json;

/**
 * The non-blocking handler of one webhook tool: POSTs the arguments as JSON with the configured headers and answers
 * with the response body. A non-2xx status fails the stage with the status and a short excerpt of the body;
 * cancelling the stage (timeout, barge-in) resets the HTTP request. An empty 2xx body answers {@code null}, which the
 * executor reports as {@code {"ok":true}}.
 *
 * <p>Thread contract: immutable; call it on a Vert.x context so the client calls back there.
 */
public final class WebhookCall implements Function<JsonNode, CompletionStage<String>> {
  private static final Logger log = LoggerFactory.getLogger(WebhookCall.class);

  /** Characters of an error body quoted to the model: enough for a reason phrase, not a whole HTML page. */
  private static final int BODY_EXCERPT_CHARS = 120;

  private final HttpClient client;
  private final String tool;
  private final String url;
  private final Map<String, Secret> headers; // values may be credentials: never logged
  private final long timeoutMillis;

  public WebhookCall(HttpClient client, String tool, String url, Map<String, Secret> headers, long timeoutMillis) {
    this.client = client;
    this.tool = tool;
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public CompletionStage<String> apply(JsonNode arguments) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    long startNanos = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        // A backstop for callers that never cancel: the executor's own timeout normally ends the call first.
        .setIdleTimeout(timeoutMillis);
    headers.forEach((name, value) -> options.putHeader(name, value.reveal()));
    options.putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json");
    Buffer body = Buffer.buffer(arguments.toString(), StandardCharsets.UTF_8.name());
    client.request(options)
        .compose(request -> {
          answer.whenComplete((r, e) -> {
            if (answer.isCancelled()) {
              request.reset();
              logCancelled(startNanos);
            }
          });
          return request.send(body);
        })
        .compose(response -> response.body().map(b -> {
          int status = response.statusCode();
          log.atDebug().addKeyValue("tool", tool).addKeyValue("status", status).log("webhook answered");
          String text = b.toString(StandardCharsets.UTF_8);
          if (status / 100 == 2) return text.isEmpty() ? null : text;
          throw new AgentException(ErrorKind.TOOL, "webhook", "HTTP " + status
              + (text.isBlank() ? "" : ": " + Json.shorten(text, BODY_EXCERPT_CHARS)), status >= 500, status, null,
              null, null);
        }))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            answer.complete(ar.result());
            return;
          }
          AgentException e = ar.cause() instanceof AgentException a ? a : new AgentException(ErrorKind.CONNECTIVITY,
              "webhook", "webhook request failed: " + ar.cause().getMessage(), ar.cause());
          if (answer.completeExceptionally(e)) {
            log.atWarn().addKeyValue("tool", tool).addKeyValue("status", e.status())
                .addKeyValue("reason", e.getMessage()).log("webhook failed");
          }
        });
    return answer;
  }

  /** The call was cancelled: by the executor's timeout (the usual case past the time limit), a barge-in, a hang-up. */
  private void logCancelled(long startNanos) {
    long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    if (elapsedMillis >= timeoutMillis) {
      log.atWarn().addKeyValue("tool", tool).addKeyValue("reason", "timed out after " + timeoutMillis + " ms")
          .log("webhook failed");
    } else {
      log.atDebug().addKeyValue("tool", tool).addKeyValue("elapsed_ms", elapsedMillis).log("webhook cancelled");
    }
  }
}
