package voiceagent.core.internal.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Maps Electron's failures to {@link AgentException}: first by HTTP status, then by what the body says. Bodies come
 * in the OpenAI envelope ({@code {"error":{"message","type","code","request_id","details"}}}), unwrapped
 * ({@code {"object":"error","message",...}}), with an integer or string {@code code}, or as plain text or HTML from a
 * proxy; all are read defensively. Retriable: 429, 502, 503 only.
 *
 * <p>Thread contract: stateless.
 */
public final class ElectronErrors {
  static final String SERVICE = "electron";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 300;

  private ElectronErrors() {}

  /** The error for a non-200 response. {@code headerRequestId} is {@code X-Request-Id}, possibly null. */
  public static AgentException fromResponse(int status, String headerRequestId, String body) {
    Parsed p = parse(body);
    String requestId = headerRequestId != null ? headerRequestId : p.requestId;
    ErrorKind kind = switch (status) {
      case 400, 409, 410, 413, 422 -> ErrorKind.INVALID_REQUEST;
      case 401, 403 -> ErrorKind.AUTHENTICATION;
      case 404 -> ErrorKind.NOT_FOUND;
      case 408, 504 -> ErrorKind.TIMEOUT;
      case 429 -> ErrorKind.RATE_LIMITED;
      default -> status >= 500 ? ErrorKind.SERVER : ErrorKind.PROTOCOL;
    };
    boolean retriable = status == 429 || status == 502 || status == 503;
    String message = "Electron HTTP " + status + (p.message.isEmpty() ? "" : ": " + p.message);
    return new AgentException(kind, SERVICE, message, retriable, status, p.code, requestId, null);
  }

  /** The error for an error event or error chunk inside a 200 stream (never retried: text may have been spoken). */
  public static AgentException fromStream(JsonNode error, String headerRequestId) {
    Parsed p = parseError(error);
    String requestId = headerRequestId != null ? headerRequestId : p.requestId;
    ErrorKind kind = ErrorKind.SERVER;
    String type = p.code == null ? "" : p.code;
    if (type.contains("rate_limit")) kind = ErrorKind.RATE_LIMITED;
    else if (type.contains("invalid_request") || type.contains("context_length")) kind = ErrorKind.INVALID_REQUEST;
    String message = "Electron stream error" + (p.message.isEmpty() ? "" : ": " + p.message);
    return new AgentException(kind, SERVICE, message, false, null, p.code, requestId, null);
  }

  /**
   * The error for a 200 response that is not an event stream (and not a chat completion): never retried, since the
   * same server answers the same way again.
   */
  public static AgentException notEventStream(String mediaType, String body, String requestId) {
    Parsed p = parse(body);
    String message = "Electron answered 200 but not a stream: expected text/event-stream, got " + mediaType
        + (p.message.isEmpty() ? "" : " (" + p.message + ")")
        + "; check electron.base_url points at an OpenAI-compatible /chat/completions endpoint";
    return new AgentException(ErrorKind.PROTOCOL, SERVICE, message, false, 200, p.code, requestId, null);
  }

  private record Parsed(String message, String code, String requestId) {}

  private static Parsed parse(String body) {
    if (body == null || body.isBlank()) return new Parsed("", null, null);
    String trimmed = body.strip();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode root = JSON.readTree(trimmed);
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) return parseError(error);
        if (error != null && error.isTextual()) {
          // {"error":"InvalidRequest","message":"..."} — the code in "error", the text in "message"
          return new Parsed(clip(text(root, "message", error.asText())), error.asText(), text(root, "request_id", null));
        }
        return parseError(root); // unwrapped {"object":"error","message":...} or {"message":...}
      } catch (Exception e) {
        // not JSON after all: fall through to plain text
      }
    }
    return new Parsed(clip(trimmed.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip()), null, null);
  }

  private static Parsed parseError(JsonNode error) {
    String message = text(error, "message", "");
    JsonNode details = error.get("details");
    if (details != null && details.isArray() && !details.isEmpty()) {
      StringBuilder s = new StringBuilder(message);
      for (JsonNode d : details) {
        String path = d.path("path").isArray() ? joinPath(d.path("path")) : text(d, "path", "");
        s.append(s.isEmpty() ? "" : "; ").append(path.isEmpty() ? "" : path + ": ").append(text(d, "message", ""));
      }
      message = s.toString();
    }
    String code = text(error, "code", null);
    if (code == null) code = text(error, "type", null);
    return new Parsed(clip(message), code, text(error, "request_id", null));
  }

  private static String joinPath(JsonNode path) {
    StringBuilder s = new StringBuilder();
    for (JsonNode p : path) s.append(s.isEmpty() ? "" : ".").append(p.asText());
    return s.toString();
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) return fallback;
    String s = v.asText();
    return s.isEmpty() ? fallback : s;
  }

  private static String clip(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
  }
}
