package voiceagent.audio.internal.pulse;

import java.util.ArrayDeque;

/**
 * The most recent audio of a stream, addressed by absolute stream position (bytes since the first audio byte), so a
 * new socket can be sent what the old one had not acknowledged. It holds the very arrays the stream sent (one per
 * binary frame) instead of a copy of them: each frame's bytes are copied once, into its batch. Positions before
 * {@link #start()} are forgotten; their arrays are let go once wholly before it.
 *
 * <p>Thread contract: not thread-safe; confined to the stream's session loop.
 */
final class ReplayBuffer {
  /** Receives consecutive pieces of a range. */
  @FunctionalInterface
  interface Slices {
    void accept(byte[] data, int off, int len);
  }

  /** One sent batch: {@code data[0, len)} is the audio at stream positions {@code [start, start + len)}. */
  private record Segment(long start, byte[] data, int len) {
    long end() {
      return start + len;
    }
  }

  private final int capacity;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private long end; // position after the newest byte

  ReplayBuffer(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  /** Appends {@code data[0, len)}; the buffer keeps the array, so the caller must never change it afterwards. */
  void add(byte[] data, int len) {
    if (len == 0) return;
    segments.addLast(new Segment(end, data, len));
    end += len;
    long start = start();
    while (segments.peekFirst().end() <= start) segments.pollFirst();
  }

  /** Position of the oldest byte still held. */
  long start() {
    return Math.max(0, end - capacity);
  }

  long end() {
    return end;
  }

  /**
   * Hands the bytes at stream positions {@code [from, to)} (which must be held) to {@code out}, in order, as slices of
   * the held arrays, each no longer than the batch it came from.
   */
  void forEach(long from, long to, Slices out) {
    if (from < start() || to > end || from > to) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") not in [" + start() + ", " + end + ")");
    }
    for (Segment s : segments) {
      if (s.end() <= from) continue;
      if (s.start() >= to) return;
      long a = Math.max(from, s.start());
      long b = Math.min(to, s.end());
      out.accept(s.data(), (int) (a - s.start()), (int) (b - a));
    }
  }
}
