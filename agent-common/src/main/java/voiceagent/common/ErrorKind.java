package voiceagent.common;

/**
 * What went wrong, in the terms a caller acts on. Each remote service maps its HTTP statuses, close codes and error
 * bodies to one of these in a single class.
 *
 * <p>Thread contract: immutable.
 */
public enum ErrorKind {
  /** The key is missing, invalid or not allowed to use this service (401, 403). Never retried. */
  AUTHENTICATION,
  /** A rate or concurrency cap was hit (429, WebSocket 1008). Retried after a back-off. */
  RATE_LIMITED,
  /** The request was rejected as malformed or over a limit (400, 410, 422). Never retried. */
  INVALID_REQUEST,
  /** The endpoint or model does not exist (404). Never retried. */
  NOT_FOUND,
  /** The service failed (500, 502, 503, or an error event inside a stream). 502 and 503 are retried. */
  SERVER,
  /** The connection could not be made or broke. Retried only before any byte was streamed. */
  CONNECTIVITY,
  /** A connect, first-byte or idle deadline passed. */
  TIMEOUT,
  /** The peer sent something that does not follow its protocol. */
  PROTOCOL,
  /** A tool failed: bad arguments, an exception, a timeout. */
  TOOL,
  /** The work was cancelled on purpose (barge-in, hang-up, shutdown). */
  CANCELLED,
  /** Configuration is missing or invalid. */
  CONFIG
}
