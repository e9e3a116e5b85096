package voiceagent.core.carrier;

import java.nio.charset.StandardCharsets;
import voiceagent.audio.AudioFormat;

/**
 * One call's wire codec for a carrier's media-stream protocol: decodes inbound WebSocket messages into
 * {@link CarrierEvent}s and builds the outbound media, mark and clear messages exactly as the carrier documents them.
 *
 * <p>Per-frame work is cheap: JSON is read with a streaming parser (fields in any order, no tree), base64 is decoded
 * into and encoded from reused buffers, so a media frame costs no allocation beyond the small event record.
 *
 * <p>Lifecycle: new (no format) → started (after it decoded {@link CarrierEvent.Started}: stream id and format known).
 * The outbound builders need a started codec. Nothing throws on bad input: decoding gives
 * {@link CarrierEvent.Malformed}.
 *
 * <p>Thread contract: confined to one call's context (it reuses buffers between calls to it).
 */
public interface CarrierCodec {

  Carrier carrier();

  /** Decodes one text message given as UTF-8 bytes. */
  CarrierEvent decodeText(byte[] utf8, int off, int len);

  /** Decodes one text message. */
  default CarrierEvent decodeText(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return decodeText(b, 0, b.length);
  }

  /** Decodes one binary message (Vonage audio; any other carrier gets {@link CarrierEvent.Problem#BAD_BINARY}). */
  CarrierEvent decodeBinary(byte[] data, int off, int len);

  /** The stream's audio format (both directions), or {@code null} before the start message. */
  AudioFormat format();

  /** A media message carrying {@code len} bytes of agent audio in {@link #format()}. */
  WireMessage media(byte[] audio, int off, int len);

  /** A mark (checkpoint) message labelled {@code name}, or {@code null} for carriers without marks (Vonage). */
  WireMessage mark(String name);

  /** The message that drops the carrier's queued audio. */
  WireMessage clear();

  /** Whether the carrier echoes marks (checkpoints); false for Vonage. */
  default boolean acknowledgesPlayback() {
    return clearAck() != ClearAck.NONE;
  }

  /** How the carrier confirms a clear. */
  ClearAck clearAck();

  /** How outbound audio must be cut into media messages. */
  Chunking chunking();

  /** How a carrier confirms that a clear took effect. */
  enum ClearAck {
    /** An explicit acknowledgement event ({@code clearedAudio}): decoded as {@link CarrierEvent.Cleared}. */
    EVENT,
    /** Every mark pending at the clear is echoed at once (Twilio, Telnyx): cleared once they are all back. */
    MARKS_FLUSHED,
    /** Nothing confirms it (Exotel): the clear counts as done once sent. */
    ON_SEND,
    /** The carrier has no playback acknowledgements at all (Vonage): the session's pacing clock decides. */
    NONE
  }

  /**
   * Outbound audio framing: each media message holds a multiple of {@code multipleOf} bytes, at least
   * {@code minimum} and at most {@code maximum}; a partial piece is padded with silence before a mark or at the end.
   * {@code multipleOf == 0} means any length passes through unchanged.
   */
  record Chunking(int multipleOf, int minimum, int maximum) {
    public static final Chunking ANY = new Chunking(0, 0, Integer.MAX_VALUE);

    public boolean passThrough() {
      return multipleOf == 0;
    }
  }
}
