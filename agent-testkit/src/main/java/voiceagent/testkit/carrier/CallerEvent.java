package voiceagent.testkit.carrier;

/**
 * What a {@link CarrierCaller} received from the server, in order.
 *
 * <p>Thread contract: immutable.
 */
public sealed interface CallerEvent {

  /** Agent audio: {@code bytes} bytes in the stream's format (one media message). */
  record Audio(int bytes) implements CallerEvent {}

  /** A mark (checkpoint) arrived; the caller echoes it when the audio before it has played. */
  record Mark(String name) implements CallerEvent {}

  /** The server cleared the carrier's buffer. */
  record Clear() implements CallerEvent {}

  /** A message the real carrier would reject (extra fields, wrong sizes, wrong stream id, binary on a text stream). */
  record Violation(String reason, String message) implements CallerEvent {}

  /** The server closed the socket. */
  record Closed(int code, String reason) implements CallerEvent {}
}
