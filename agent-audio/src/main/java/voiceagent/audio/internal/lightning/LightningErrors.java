package voiceagent.audio.internal.lightning;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Maps Lightning's HTTP statuses, upgrade rejections and error frames to {@link AgentException}s.
 *
 * <p>Thread contract: stateless.
 */
final class LightningErrors {
  private static final String SERVICE = LightningWire.SERVICE;

  private LightningErrors() {}

  /** An HTTP error status with its (JSON or plain) body. */
  static AgentException fromHttp(int status, String body, String requestId) {
    JsonObject json = tryParse(body);
    String message = json == null ? truncate(body) : message(json);
    String code = json == null ? null : code(json);
    return switch (status) {
      case 401, 403 -> new AgentException(ErrorKind.AUTHENTICATION, SERVICE,
          "Lightning rejected the API key (HTTP " + status + "): " + message + "; check SMALLEST_API_KEY",
          false, status, code, requestId, null);
      case 410 -> new AgentException(ErrorKind.INVALID_REQUEST, SERVICE,
          "Lightning model route retired (HTTP 410 " + code + "): " + message + "; use "
              + (json == null ? "a current endpoint" : json.getString("recommended_endpoint", "a current endpoint")),
          false, status, code == null ? "MODEL_DEPRECATED" : code, requestId, null);
      case 429 -> new AgentException(ErrorKind.RATE_LIMITED, SERVICE,
          "Lightning concurrency limit reached (HTTP 429): " + message, true, status, code, requestId, null);
      case 400, 413, 422 -> new AgentException(ErrorKind.INVALID_REQUEST, SERVICE,
          "Lightning rejected the request (HTTP " + status + "): " + message, false, status, code, requestId, null);
      case 404 -> new AgentException(ErrorKind.NOT_FOUND, SERVICE,
          "Lightning endpoint not found (HTTP 404): " + message, false, status, code, requestId, null);
      default -> new AgentException(ErrorKind.SERVER, SERVICE,
          "Lightning failed (HTTP " + status + "): " + message, status >= 500, status, code, requestId, null);
    };
  }

  /** A failed WebSocket connect: an upgrade answered with an HTTP status, or a network failure. */
  static AgentException fromConnect(Throwable cause, String url) {
    if (cause instanceof AgentException e) return e;
    if (cause instanceof UpgradeRejectedException r) {
      return fromHttp(r.getStatus(), r.getBody() == null ? "" : r.getBody().toString(), null);
    }
    return new AgentException(ErrorKind.CONNECTIVITY, SERVICE, "cannot connect to Lightning at " + url + ": "
        + cause.getMessage(), true, null, null, null, cause);
  }

  /**
   * A {@code status: "error"} frame, with {@code message} at the top or {@code error.{message, code}} nested.
   * The idle-timeout notice is a {@code TIMEOUT}; numeric codes map like HTTP statuses.
   */
  static AgentException fromFrame(JsonObject frame, String requestId) {
    String message = message(frame);
    String code = code(frame);
    if (message.startsWith("Connection timed out")) {
      return new AgentException(ErrorKind.TIMEOUT, SERVICE, "Lightning closed the idle socket: " + message,
          true, null, code, requestId, null);
    }
    if (code != null && code.matches("\\d{3}")) return fromHttp(Integer.parseInt(code), frame.encode(), requestId);
    boolean capacity = message.toLowerCase().contains("concurren") || message.toLowerCase().contains("rate limit");
    return new AgentException(capacity ? ErrorKind.RATE_LIMITED : ErrorKind.SERVER, SERVICE,
        "Lightning error frame: " + message, capacity, null, code, requestId, null);
  }

  /** The socket closed before the synthesis finished. */
  static AgentException closedMidStream(Short closeCode, String requestId) {
    return new AgentException(ErrorKind.CONNECTIVITY, SERVICE, "Lightning socket closed mid-synthesis (close code "
        + closeCode + ")", true, closeCode == null ? null : (int) closeCode, null, requestId, null);
  }

  static boolean isIdleTimeout(JsonObject frame) {
    return message(frame).startsWith("Connection timed out");
  }

  private static String message(JsonObject json) {
    Object error = json.getValue("error");
    if (error instanceof JsonObject nested && nested.getString("message") != null) return nested.getString("message");
    if (json.getValue("message") instanceof String m) return m;
    if (error instanceof String s) return s;
    return truncate(json.encode());
  }

  private static String code(JsonObject json) {
    Object error = json.getValue("error");
    Object code = error instanceof JsonObject nested ? nested.getValue("code") : null;
    if (code == null) code = json.getValue("error_code");
    if (code == null) code = json.getValue("code");
    return code == null ? null : code.toString();
  }

  private static JsonObject tryParse(String body) {
    if (body == null || !body.stripLeading().startsWith("{")) return null;
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String truncate(String s) {
    if (s == null || s.isBlank()) return "(empty body)";
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
