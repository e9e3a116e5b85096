package voiceagent.audio;

import java.util.Arrays;
import java.util.Objects;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Cuts a byte stream of audio into fixed frames of {@code frameMillis} milliseconds (20 ms by default, the frame
 * every carrier paces at), whatever the sizes of the pieces pushed in.
 *
 * <p>Frames go to the {@link FrameSink} synchronously from {@link #push} and {@link #flush}. Whole frames that lie
 * inside a pushed array are handed over in place, without copying; the rest is staged in one reused buffer.
 *
 * <p>Thread contract: not thread-safe; one instance belongs to one stream (confined to its session loop).
 */
public final class Framer {
  /** The usual frame length of carrier media streams. */
  public static final int DEFAULT_FRAME_MILLIS = 20;

  /** Receives frames. */
  @FunctionalInterface
  public interface FrameSink {
    /**
     * One frame: {@code len} bytes of {@code frame} from {@code off}. The array is reused or belongs to the caller of
     * {@link #push}: copy the bytes to keep them past this call.
     */
    void onFrame(byte[] frame, int off, int len);
  }

  private final AudioFormat format;
  private final FrameSink sink;
  private final int frameBytes;
  /** Bytes of an incomplete frame; reused. */
  private final byte[] pending;
  /** Valid bytes in {@link #pending}. */
  private int fill;

  /** A framer of {@value #DEFAULT_FRAME_MILLIS} ms frames. */
  public Framer(AudioFormat format, FrameSink sink) {
    this(format, DEFAULT_FRAME_MILLIS, sink);
  }

  public Framer(AudioFormat format, int frameMillis, FrameSink sink) {
    this.format = Objects.requireNonNull(format, "format");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.frameBytes = format.bytesFor(frameMillis);
    if (frameMillis < 1 || frameMillis > 1000 || frameBytes == 0) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, "audio",
          "frame_millis=" + frameMillis + " for " + format + " is not supported; expected 1..1000 ms of whole samples");
    }
    this.pending = new byte[frameBytes];
  }

  /** Bytes in one full frame. */
  public int frameBytes() {
    return frameBytes;
  }

  /** Bytes waiting for the rest of their frame. */
  public int pendingBytes() {
    return fill;
  }

  /** Adds {@code len} bytes and emits every frame they complete. */
  public void push(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (fill > 0) {
      int n = Math.min(len, frameBytes - fill);
      System.arraycopy(data, off, pending, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill < frameBytes) return;
      fill = 0;
      sink.onFrame(pending, 0, frameBytes);
    }
    while (len >= frameBytes) {
      sink.onFrame(data, off, frameBytes);
      off += frameBytes;
      len -= frameBytes;
    }
    System.arraycopy(data, off, pending, 0, len);
    fill = len;
  }

  /**
   * Emits the incomplete frame, if any: filled up to a full frame with the encoding's silence when
   * {@code padWithSilence}, otherwise as a shorter frame of the bytes there are.
   */
  public void flush(boolean padWithSilence) {
    if (fill == 0) return;
    int len = fill;
    if (padWithSilence) {
      Arrays.fill(pending, fill, frameBytes, silence(format.encoding()));
      len = frameBytes;
    }
    fill = 0;
    sink.onFrame(pending, 0, len);
  }

  /** Drops the incomplete frame without emitting it (e.g. on barge-in). */
  public void clear() {
    fill = 0;
  }

  /** The byte that encodes a zero sample: 0xFF in μ-law, 0xD5 in A-law, 0 in PCM16 (either byte order). */
  public static byte silence(AudioFormat.Encoding encoding) {
    return switch (encoding) {
      case MULAW -> (byte) 0xFF;
      case ALAW -> (byte) 0xD5;
      case PCM16_LE, PCM16_BE -> 0;
    };
  }
}
