package voiceagent.core.internal.carrier;

import java.util.function.Consumer;
import voiceagent.core.carrier.CarrierCodec;
import voiceagent.core.carrier.CarrierCodec.Chunking;
import voiceagent.core.carrier.WireMessage;

/**
 * Cuts the session's outbound audio into the media messages a carrier requires ({@link Chunking}): Vonage one 20 ms
 * frame per message, Exotel multiples of 320 bytes of at least 3,200. Whole chunks go out as soon as they are
 * complete; a partial piece waits for more audio, and {@link #flush} pads it with silence (before a mark, so the mark
 * follows all the audio).
 *
 * <p>Thread contract: confined to one call's context.
 */
final class OutboundChunker {
  private final CarrierCodec codec;
  private final Chunking chunking;
  private final byte silence;
  private final Consumer<WireMessage> send;
  /** Audio not yet sent; holds less than one chunk between calls. */
  private byte[] pending;
  private int length;

  OutboundChunker(CarrierCodec codec, Consumer<WireMessage> send) {
    this.codec = codec;
    this.chunking = codec.chunking();
    this.silence = InboundEvents.silence(codec.format());
    this.send = send;
    this.pending = new byte[Math.max(chunking.minimum(), chunking.multipleOf()) * 2];
  }

  void add(byte[] data, int off, int len) {
    if (chunking.passThrough()) {
      send.accept(codec.media(data, off, len));
      return;
    }
    // Append, then send every whole chunk the buffer holds.
    if (length + len > pending.length) pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, length + len));
    System.arraycopy(data, off, pending, length, len);
    length += len;
    int sent = 0;
    while (length - sent >= chunking.minimum()) {
      int n = Math.min(length - sent, chunking.maximum());
      n -= n % chunking.multipleOf();
      send.accept(codec.media(pending, sent, n));
      sent += n;
    }
    if (sent > 0) {
      System.arraycopy(pending, sent, pending, 0, length - sent);
      length -= sent;
    }
  }

  /** Sends what is pending, padded with silence to a whole chunk. */
  void flush() {
    if (length == 0) return;
    int m = chunking.multipleOf();
    int target = Math.max(chunking.minimum(), (length + m - 1) / m * m);
    if (target > pending.length) pending = java.util.Arrays.copyOf(pending, target);
    java.util.Arrays.fill(pending, length, target, silence);
    length = 0;
    send.accept(codec.media(pending, 0, target));
  }

  /** Drops what is pending (barge-in). */
  void drop() {
    length = 0;
  }
}
