package voiceagent.audio;

import java.util.Arrays;
import java.util.Objects;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * A piece of audio handed from one component to another: its format, its bytes and when it starts on the stream's
 * timeline (milliseconds from the start of the stream, or of the call).
 *
 * <p>Thread contract: immutable. The frame owns {@code data}: the canonical constructor takes the array without
 * copying, so the creator must not modify it afterwards, and readers must not modify what {@link #data()} returns.
 * {@link #copyOf} copies from a reused buffer such as a {@link Framer.FrameSink}'s.
 *
 * @param format           layout of {@code data}
 * @param data             whole samples of audio
 * @param timestampMillis  start of the frame on the stream's timeline
 */
public record AudioFrame(AudioFormat format, byte[] data, long timestampMillis) {

  public AudioFrame {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(data, "data");
    if (data.length % format.frameSize() != 0) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, "audio", "audio frame length=" + data.length
          + " is not a whole number of " + format.frameSize() + "-byte samples of " + format);
    }
  }

  /** A frame holding a copy of {@code len} bytes of {@code src} from {@code off}. */
  public static AudioFrame copyOf(AudioFormat format, byte[] src, int off, int len, long timestampMillis) {
    return new AudioFrame(format, Arrays.copyOfRange(src, off, off + len), timestampMillis);
  }

  /** Milliseconds of audio in this frame. */
  public long durationMillis() {
    return format.millisFor(data.length);
  }

  /** Compares the bytes, not the array identity. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AudioFrame f && timestampMillis == f.timestampMillis && format.equals(f.format)
        && Arrays.equals(data, f.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, timestampMillis, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "AudioFrame[" + format + ", " + data.length + " bytes, t=" + timestampMillis + " ms]";
  }
}
