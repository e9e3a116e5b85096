package voiceagent.tools.internal.dispatch;

/**
 * Thrown by a handler when arguments that passed the schema still cannot be bound to its Java types; the executor
 * reports it as {@code invalid arguments: ...} like a schema violation.
 *
 * <p>Thread contract: immutable.
 */
public final class InvalidArgumentsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentsException(String message, Throwable cause) {
    super(message, cause);
  }
}
