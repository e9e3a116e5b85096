package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An HTTP error reply. With {@code rawBody == null} the body is Electron's envelope, built per request so that
 * {@code error.request_id} equals the {@code X-Request-Id} header.
 *
 * <p>Thread contract: immutable.
 */
record ErrorReply(int status, String message, String type, String rawBody, Map<String, String> headers)
    implements ElectronReply {

  /** One entry of {@code error.details[]}: the failed field as a path such as {@code ["messages", 3, "role"]}. */
  record Detail(String code, String message, List<Object> path) {}

  static ErrorReply standard(int status) {
    String message = switch (status) {
      case 400 -> "Invalid input data";
      case 401 -> "Invalid API key";
      case 403 -> "Your plan does not include Electron";
      case 404 -> "Not found";
      case 429 -> "Rate limit exceeded";
      case 502 -> "Upstream unavailable";
      case 503 -> "Service unavailable";
      default -> "Internal server error";
    };
    return new ErrorReply(status, message, typeFor(status), null, Map.of());
  }

  static ErrorReply concurrency() {
    return new ErrorReply(429, "Concurrency limit reached", "rate_limit_error", null, Map.of());
  }

  private static String typeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> "server_error";
    };
  }

  /** The body for a request: the raw body as given, or the envelope with this request id and the details. */
  String body(String requestId, List<Detail> details) {
    if (rawBody != null) return rawBody;
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", message);
    error.put("type", type);
    if (status == 400) {
      ArrayNode array = error.putArray("details");
      for (Detail d : details) {
        ObjectNode node = array.addObject().put("code", d.code()).put("message", d.message());
        ArrayNode path = node.putArray("path");
        for (Object p : d.path()) {
          if (p instanceof Integer i) path.add(i); else path.add(String.valueOf(p));
        }
      }
    }
    error.put("request_id", requestId);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set("error", error);
    return root.toString();
  }
}
