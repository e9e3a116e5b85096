package voiceagent.audio;

import voiceagent.common.AgentException;

/**
 * How audio bytes are laid out: encoding, sample rate and channel count. Every hop (carrier, Pulse, Lightning,
 * browser) declares one, and the runtime converts only where two differ.
 *
 * <p>Thread contract: immutable.
 *
 * @param encoding    sample encoding
 * @param sampleRate  samples per second per channel (8000, 16000, 22050, 24000, 44100, 48000)
 * @param channels    interleaved channels; the voice path is mono
 */
public record AudioFormat(Encoding encoding, int sampleRate, int channels) {

  /** Sample encodings spoken by carriers and by Smallest's services. */
  public enum Encoding {
    /** Signed 16-bit little-endian linear PCM (Pulse {@code linear16}, Lightning PCM, WAV). */
    PCM16_LE(2),
    /** Signed 16-bit big-endian linear PCM (network byte order {@code audio/l16}). */
    PCM16_BE(2),
    /** G.711 μ-law, 8 bits a sample. */
    MULAW(1),
    /** G.711 A-law, 8 bits a sample. */
    ALAW(1);

    private final int bytesPerSample;

    Encoding(int bytesPerSample) {
      this.bytesPerSample = bytesPerSample;
    }

    public int bytesPerSample() {
      return bytesPerSample;
    }
  }

  public static final AudioFormat MULAW_8K = new AudioFormat(Encoding.MULAW, 8000, 1);
  public static final AudioFormat ALAW_8K = new AudioFormat(Encoding.ALAW, 8000, 1);
  public static final AudioFormat PCM16_8K = new AudioFormat(Encoding.PCM16_LE, 8000, 1);
  public static final AudioFormat PCM16_16K = new AudioFormat(Encoding.PCM16_LE, 16000, 1);
  public static final AudioFormat PCM16_24K = new AudioFormat(Encoding.PCM16_LE, 24000, 1);
  public static final AudioFormat PCM16_48K = new AudioFormat(Encoding.PCM16_LE, 48000, 1);

  public AudioFormat {
    if (encoding == null) throw AgentException.config("audio.encoding", null, "an encoding is required");
    if (sampleRate < 4000 || sampleRate > 192_000) {
      throw AgentException.config("audio.sample_rate", sampleRate, "expected 4000..192000 Hz");
    }
    if (channels < 1 || channels > 8) throw AgentException.config("audio.channels", channels, "expected 1..8");
  }

  /** Bytes in one frame (one sample of every channel). */
  public int frameSize() {
    return encoding.bytesPerSample() * channels;
  }

  /** Bytes per second of audio. */
  public int bytesPerSecond() {
    return frameSize() * sampleRate;
  }

  /** Bytes in {@code millis} of audio, rounded down to whole frames. */
  public int bytesFor(int millis) {
    return (int) ((long) sampleRate * millis / 1000) * frameSize();
  }

  /** Milliseconds of audio in {@code bytes}. */
  public long millisFor(long bytes) {
    return bytes * 1000 / bytesPerSecond();
  }

  @Override
  public String toString() {
    return encoding + "/" + sampleRate + "Hz/" + channels + "ch";
  }
}
