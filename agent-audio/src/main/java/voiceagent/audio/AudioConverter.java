package voiceagent.audio;

import java.util.Objects;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.audio.ALaw;
import voiceagent.audio.MuLaw;
import voiceagent.audio.Pcm16;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * A streaming converter between two mono {@link AudioFormat}s: decode to PCM16, resample with a {@link Resampler},
 * encode. Any pair of μ-law, A-law, PCM16 little- and big-endian at the {@link Resampler#RATES} is supported; equal
 * formats are copied unchanged.
 *
 * <p>State carried between calls: the resampler's filter history, and for PCM16 input an odd trailing byte, which is
 * joined with the first byte of the next call. Internal sample buffers grow to the largest input seen and are then
 * reused, so steady-state conversion of fixed-size frames allocates nothing.
 *
 * <p>Thread contract: not thread-safe; one instance belongs to one stream (confined to its session loop).
 */
public final class AudioConverter {
  private final AudioFormat from;
  private final AudioFormat to;
  private final boolean identity;
  private final Resampler resampler;
  /** Decoded input samples; grown on demand. */
  private short[] decoded = new short[0];
  /** Resampled samples; grown on demand; unused when the rates are equal. */
  private short[] resampled = new short[0];
  /** The low-address byte of a PCM16 sample split across two calls, valid when {@link #hasCarry}. */
  private byte carry;
  private boolean hasCarry;

  private AudioConverter(AudioFormat from, AudioFormat to) {
    this.from = from;
    this.to = to;
    this.identity = from.equals(to);
    this.resampler = Resampler.create(from.sampleRate(), to.sampleRate());
  }

  /**
   * A converter from {@code from} to {@code to}.
   *
   * @throws AgentException {@link ErrorKind#INVALID_REQUEST} when a format is not mono or its rate is unsupported
   */
  public static AudioConverter create(AudioFormat from, AudioFormat to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    for (AudioFormat f : new AudioFormat[] {from, to}) {
      if (f.channels() != 1) {
        throw new AgentException(ErrorKind.INVALID_REQUEST, "audio",
            "audio format=" + f + ": channels=" + f.channels() + " is not supported; the converter takes mono audio");
      }
    }
    return new AudioConverter(from, to);
  }

  /**
   * Converts {@code len} bytes of {@code in} at {@code off} and writes the result to {@code out} at {@code outOff},
   * which must have room for {@link #maxOutputBytes maxOutputBytes(len)} bytes.
   *
   * @return the number of bytes written
   */
  public int convert(byte[] in, int off, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, in.length);
    if (identity) {
      System.arraycopy(in, off, out, outOff, len);
      return len;
    }
    int samples = decode(in, off, len);
    short[] pcm = decoded;
    if (from.sampleRate() != to.sampleRate()) {
      int need = resampler.maxOutput(samples);
      if (resampled.length < need) resampled = new short[need];
      samples = resampler.process(decoded, 0, samples, resampled, 0);
      pcm = resampled;
    }
    encode(pcm, samples, out, outOff);
    return samples * to.encoding().bytesPerSample();
  }

  /** Decodes into {@link #decoded}, handling the PCM16 carry byte; returns the number of samples. */
  private int decode(byte[] in, int off, int len) {
    Encoding encoding = from.encoding();
    if (encoding.bytesPerSample() == 1) {
      ensureDecoded(len);
      if (encoding == Encoding.MULAW) MuLaw.decode(in, off, len, decoded, 0);
      else ALaw.decode(in, off, len, decoded, 0);
      return len;
    }
    boolean bigEndian = encoding == Encoding.PCM16_BE;
    ensureDecoded(len / 2 + 1);
    int samples = 0;
    if (hasCarry && len > 0) {
      byte first = carry;
      byte second = in[off];
      decoded[samples++] = bigEndian
          ? (short) ((first << 8) | (second & 0xFF))
          : (short) ((second << 8) | (first & 0xFF));
      hasCarry = false;
      off++;
      len--;
    }
    int whole = len / 2;
    Pcm16.toShorts(in, off, whole, decoded, samples, bigEndian);
    samples += whole;
    if ((len & 1) != 0) {
      carry = in[off + len - 1];
      hasCarry = true;
    }
    return samples;
  }

  private void ensureDecoded(int samples) {
    if (decoded.length < samples) decoded = new short[samples];
  }

  private void encode(short[] pcm, int samples, byte[] out, int outOff) {
    switch (to.encoding()) {
      case MULAW -> MuLaw.encode(pcm, 0, samples, out, outOff);
      case ALAW -> ALaw.encode(pcm, 0, samples, out, outOff);
      case PCM16_LE -> Pcm16.toBytes(pcm, 0, samples, out, outOff, false);
      case PCM16_BE -> Pcm16.toBytes(pcm, 0, samples, out, outOff, true);
    }
  }

  /** The most bytes {@link #convert} can write for {@code inLen} input bytes. */
  public int maxOutputBytes(int inLen) {
    if (identity) return inLen;
    // One more input sample than inLen alone holds when a carried byte completes it.
    int samples = from.encoding().bytesPerSample() == 1 ? inLen : inLen / 2 + 1;
    return resampler.maxOutput(samples) * to.encoding().bytesPerSample();
  }

  /** Drops the filter history and any carried byte, as if the stream started again (e.g. after barge-in). */
  public void reset() {
    resampler.reset();
    hasCarry = false;
  }

  public AudioFormat from() {
    return from;
  }

  public AudioFormat to() {
    return to;
  }
}
