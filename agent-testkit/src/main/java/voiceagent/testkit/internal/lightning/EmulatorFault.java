package voiceagent.testkit.internal.lightning;

/**
 * A one-shot fault the Lightning emulator applies to the next synthesis it starts.
 *
 * <p>Thread contract: immutable values.
 */
public sealed interface EmulatorFault {
  /** Answer with an error frame (HTTP 500 on HTTP/SSE) carrying {@code message}, and no audio. */
  record Fail(String message) implements EmulatorFault {}

  /** Accept the request and never answer it. */
  record Stall() implements EmulatorFault {}

  /** Close the socket after {@code afterChunks} audio chunks. */
  record CloseMidStream(int afterChunks) implements EmulatorFault {}
}
