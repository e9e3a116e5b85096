package voiceagent.audio.internal.pulse;

import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.PulseConfig;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Opens Pulse sockets: builds the upgrade request (Bearer header, query from the config and the audio format) and
 * maps a refused upgrade or a broken connection to an {@link AgentException}. Only host and path ever appear in
 * messages: the query may carry a token.
 *
 * <p>Thread contract: immutable; the returned future completes on the caller's context.
 */
public final class PulseConnector {
  private final WebSocketClient client;
  private final PulseConfig config;
  private final URI base;

  public PulseConnector(WebSocketClient client, PulseConfig config) {
    this.client = client;
    this.config = config;
    this.base = config.base();
  }

  public PulseConfig config() {
    return config;
  }

  /** Host and path, safe to log. */
  public String endpoint() {
    return base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "") + config.path();
  }

  /** Connects for audio in {@code format}; fails with a CONFIG error for a format Pulse does not take. */
  public Future<WebSocket> connect(AudioFormat format) {
    WebSocketConnectOptions options;
    try {
      boolean ssl = "wss".equals(base.getScheme());
      options = new WebSocketConnectOptions()
          .setHost(base.getHost())
          .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80)
          .setSsl(ssl)
          .setURI(config.requestUri(format))
          .setConnectTimeout(config.connectTimeoutMillis())
          .setTimeout(config.connectTimeoutMillis());
    } catch (AgentException e) {
      return Future.failedFuture(e);
    }
    if (config.apiKey() != null) options.addHeader("Authorization", "Bearer " + config.apiKey().reveal());
    return client.connect(options).recover(e -> Future.failedFuture(failure(e)));
  }

  private AgentException failure(Throwable e) {
    if (e instanceof AgentException a) return a;
    if (e instanceof UpgradeRejectedException r) {
      int status = r.getStatus();
      ErrorKind kind = switch (status) {
        case 401, 403 -> ErrorKind.AUTHENTICATION;
        case 400, 410, 422 -> ErrorKind.INVALID_REQUEST;
        case 404 -> ErrorKind.NOT_FOUND;
        case 429 -> ErrorKind.RATE_LIMITED;
        default -> status >= 500 ? ErrorKind.SERVER : ErrorKind.PROTOCOL;
      };
      boolean retriable = kind == ErrorKind.RATE_LIMITED || kind == ErrorKind.SERVER;
      String body = r.getBody() == null ? "" : r.getBody().toString();
      if (body.length() > 200) body = body.substring(0, 200);
      String hint = kind == ErrorKind.AUTHENTICATION ? " (check " + PulseConfig.ENV_API_KEY + ")" : "";
      return new AgentException(kind, PulseFrames.SERVICE, "upgrade to " + endpoint() + " rejected with HTTP " + status
          + hint + (body.isBlank() ? "" : ": " + body.strip()), retriable, status, null, null, null);
    }
    return new AgentException(ErrorKind.CONNECTIVITY, PulseFrames.SERVICE,
        "cannot connect to " + endpoint() + ": " + e.getMessage(), true, null, null, null, e);
  }
}
