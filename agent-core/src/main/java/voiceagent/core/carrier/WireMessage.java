package voiceagent.core.carrier;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One outbound WebSocket message a {@link CarrierCodec} built: JSON text or binary audio. It is a view of the codec's
 * reused buffer, valid until the codec builds the next message.
 *
 * <p>Thread contract: confined to the codec's call.
 */
public interface WireMessage {

  /** Whether this is a binary frame (Vonage audio); otherwise a UTF-8 JSON text frame. */
  boolean binary();

  /** The buffer holding the message in {@code [0, length())}. */
  byte[] array();

  int length();

  /** The message as text (copies; for text frames, logs and tests). */
  default String text() {
    return new String(array(), 0, length(), StandardCharsets.UTF_8);
  }

  /** A Vert.x buffer holding a copy of the message, for a binary write that outlives this view. */
  default Buffer toBuffer() {
    return Buffer.buffer(length()).appendBytes(array(), 0, length());
  }
}
