package voiceagent.audio.internal.pulse;

/**
 * The most recent audio of a stream, addressed by absolute stream position (bytes since the first audio byte), so a
 * new socket can be sent what the old one had not acknowledged. Older bytes are overwritten once it is full.
 *
 * <p>Thread contract: not thread-safe; confined to the stream's session loop.
 */
final class ReplayBuffer {
  private final byte[] ring;
  private long end; // position after the newest byte

  ReplayBuffer(int capacity) {
    ring = new byte[Math.max(1, capacity)];
  }

  void append(byte[] data, int off, int len) {
    if (len >= ring.length) { // only the tail fits
      off += len - ring.length;
      end += len - ring.length;
      len = ring.length;
    }
    int at = (int) (end % ring.length);
    int first = Math.min(len, ring.length - at);
    System.arraycopy(data, off, ring, at, first);
    System.arraycopy(data, off + first, ring, 0, len - first);
    end += len;
  }

  /** Position of the oldest byte still held. */
  long start() {
    return Math.max(0, end - ring.length);
  }

  long end() {
    return end;
  }

  /** Copies {@code len} bytes starting at stream position {@code from} (which must be held) into {@code dst}. */
  void copy(long from, byte[] dst, int dstOff, int len) {
    if (from < start() || from + len > end) {
      throw new IndexOutOfBoundsException("[" + from + ", " + (from + len) + ") not in [" + start() + ", " + end + ")");
    }
    int at = (int) (from % ring.length);
    int first = Math.min(len, ring.length - at);
    System.arraycopy(ring, at, dst, dstOff, first);
    System.arraycopy(ring, 0, dst, dstOff + first, len - first);
  }
}
