package voiceagent.common;

import java.util.Objects;

/**
 * The one unchecked exception of the runtime. It says what kind of failure happened, which service it came from,
 * whether retrying can help, and the ids support needs ({@code request_id}, HTTP status, provider error code).
 *
 * <p>Messages name the field and the value that failed; they never include a secret or a whole prompt.
 *
 * <p>Thread contract: immutable.
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final String service;
  private final boolean retriable;
  private final Integer status;
  private final String code;
  private final String requestId;

  public AgentException(ErrorKind kind, String service, String message) {
    this(kind, service, message, false, null, null, null, null);
  }

  public AgentException(ErrorKind kind, String service, String message, Throwable cause) {
    this(kind, service, message, false, null, null, null, cause);
  }

  public AgentException(ErrorKind kind, String service, String message, boolean retriable, Integer status,
      String code, String requestId, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.service = Objects.requireNonNull(service, "service");
    this.retriable = retriable;
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }

  /** A configuration error naming the key and the value that is wrong. */
  public static AgentException config(String path, Object value, String problem) {
    return new AgentException(ErrorKind.CONFIG, "config", path + "=" + value + ": " + problem);
  }

  public ErrorKind kind() { return kind; }

  /** The service that failed: {@code electron}, {@code pulse}, {@code lightning}, {@code tool}, {@code config}, ... */
  public String service() { return service; }

  /** Whether the same request may succeed if sent again later. */
  public boolean retriable() { return retriable; }

  /** HTTP status (or WebSocket close code), or {@code null} when there was none. */
  public Integer status() { return status; }

  /** The provider's error code or type, or {@code null}. */
  public String code() { return code; }

  /** The provider's request id ({@code X-Request-Id}), or {@code null}. */
  public String requestId() { return requestId; }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("AgentException[").append(kind).append(' ').append(service);
    if (status != null) s.append(" status=").append(status);
    if (code != null) s.append(" code=").append(code);
    if (requestId != null) s.append(" request_id=").append(requestId);
    return s.append("]: ").append(getMessage()).toString();
  }
}
