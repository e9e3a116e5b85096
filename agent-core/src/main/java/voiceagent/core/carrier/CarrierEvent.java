package voiceagent.core.carrier;

import java.util.Map;
import voiceagent.audio.AudioFormat;

/**
 * One inbound carrier message, decoded by a {@link CarrierCodec}. Decoding never throws: what cannot be understood is a
 * {@link Malformed} value with a reason for the call's log.
 *
 * <p>Thread contract: immutable values, except that {@link Media#data()} is the codec's reused buffer (valid until the
 * codec decodes the next message).
 */
public sealed interface CarrierEvent {

  /** The carrier opened the stream ({@code connected}); informational, the ids come with {@link Started}. */
  record Connected() implements CarrierEvent {}

  /**
   * The stream started: the carrier's ids, the caller's audio format and the custom parameters of the call setup
   * (TwiML {@code <Parameter>}, {@code custom_parameters}, Plivo {@code extra_headers}, Vonage {@code headers}).
   *
   * @param streamId  the carrier's stream id ({@code streamSid}, {@code stream_id}, ...); {@code null} for Vonage
   * @param callId    the carrier's call id ({@code callSid}, {@code call_control_id}, {@code callId}); may be null
   * @param accountId the carrier account, when sent ({@code accountSid}); may be null
   * @param format    the caller's audio format; the carriers send the agent's audio in the same format
   */
  record Started(String streamId, String callId, String accountId, AudioFormat format,
      Map<String, String> customParameters) implements CarrierEvent {
    public Started {
      customParameters = Map.copyOf(customParameters);
    }
  }

  /**
   * Caller audio in the stream's format. {@code data} is the codec's reused buffer: copy what you keep.
   *
   * @param chunk the carrier's chunk or sequence number, {@code -1} when it sent none
   */
  record Media(byte[] data, int length, long chunk) implements CarrierEvent {}

  /** The audio sent before mark (checkpoint) {@code name} has played, or the mark was flushed by a clear. */
  record MarkPlayed(String name) implements CarrierEvent {}

  /** The carrier acknowledged a clear ({@code clearedAudio}, {@code websocket:cleared}). */
  record Cleared() implements CarrierEvent {}

  /** The caller pressed keys. */
  record Dtmf(String digits) implements CarrierEvent {}

  /** The carrier ended the stream ({@code stop}). */
  record Stopped(String reason) implements CarrierEvent {}

  /** A message that was understood and needs nothing (a duplicate {@code connected}, a known informational event). */
  record Ignored(String event) implements CarrierEvent {}

  /** A message that could not be understood; {@code detail} names the field and value, never a secret. */
  record Malformed(Problem problem, String detail) implements CarrierEvent {}

  /** Why a message is {@link Malformed}. */
  enum Problem {
    /** Not JSON, or not a JSON object. */
    BAD_JSON,
    /** {@code media.payload} is not base64. */
    BAD_BASE64,
    /** A binary frame of the wrong size, or binary on a text-only protocol. */
    BAD_BINARY,
    /** A field holds a value of the wrong type or out of range. */
    BAD_FIELD,
    /** A required field is missing. */
    MISSING_FIELD,
    /** An event name the codec does not know. */
    UNKNOWN_EVENT,
    /** The stream's media format is one the runtime does not play. */
    UNSUPPORTED_FORMAT,
    /** The carrier reported an error on the socket (Telnyx {@code error}). */
    CARRIER_ERROR
  }
}
