package voiceagent.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.IoErrors;

/**
 * Reads and writes RIFF/WAVE files holding 16-bit PCM, μ-law or A-law, the formats the voice path speaks. Reading
 * accepts {@code WAVE_FORMAT_EXTENSIBLE} with those sub-formats, chunks in any order, odd-sized chunks with their pad
 * byte, and the data size 0 or 0xFFFFFFFF that streaming writers leave behind (the data then runs to the end of the
 * file). Anything else is rejected with a message that names the format found and the formats accepted.
 *
 * <p>Thread contract: stateless.
 */
public final class WavFile {
  private static final String ACCEPTED = "expected a 16-bit PCM, μ-law or A-law WAV";
  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_ALAW = 6;
  private static final int FORMAT_MULAW = 7;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;

  /**
   * The audio of a WAV file. PCM data is little-endian, as WAV stores it.
   *
   * <p>Thread contract: immutable by convention (the array is not copied; do not modify it).
   */
  public record Audio(AudioFormat format, byte[] data) {
    /** Milliseconds of audio. */
    public long durationMillis() {
      return format.millisFor(data.length);
    }
  }

  private WavFile() {}

  /** Reads a WAV file. */
  public static Audio read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new AgentException(ErrorKind.NOT_FOUND, "audio", "wav file=" + path + ": no such file", e);
    } catch (IOException e) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, "audio", "wav file=" + path + ": cannot read: "
          + IoErrors.reason(e), e);
    }
    return read(bytes);
  }

  /** Parses the bytes of a WAV file. */
  public static Audio read(byte[] bytes) {
    if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
      throw invalid("not a RIFF/WAVE file");
    }
    AudioFormat format = null;
    byte[] data = null;
    int pos = 12;
    while (pos + 8 <= bytes.length) {
      String id = new String(bytes, pos, 4, StandardCharsets.ISO_8859_1);
      long size = u32(bytes, pos + 4);
      int body = pos + 8;
      long available = bytes.length - body;
      if (id.equals("data")) {
        // 0 and 0xFFFFFFFF are what streaming writers leave when they cannot seek back; a size past the end means
        // a truncated file. Either way the data runs to the end of the file.
        long n = size == 0 || size == 0xFFFFFFFFL || size > available ? available : size;
        data = Arrays.copyOfRange(bytes, body, body + (int) n);
      } else if (id.equals("fmt ")) {
        if (size < 16 || size > available) throw invalid("fmt chunk of " + size + " bytes is malformed");
        format = parseFormat(bytes, body, (int) size);
      }
      if (size > available) break;
      pos = body + (int) size + (int) (size & 1);
    }
    if (format == null) throw invalid("no fmt chunk found");
    if (data == null) throw invalid("no data chunk found");
    int frame = format.frameSize();
    if (data.length % frame != 0) data = Arrays.copyOf(data, data.length - data.length % frame);
    return new Audio(format, data);
  }

  private static AudioFormat parseFormat(byte[] b, int off, int size) {
    int tag = u16(b, off);
    int channels = u16(b, off + 2);
    long rate = u32(b, off + 4);
    int bits = u16(b, off + 14);
    if (tag == FORMAT_EXTENSIBLE) {
      // cbSize(2) validBits(2) channelMask(4), then the sub-format GUID whose first two bytes are the format tag.
      if (size < 40) throw invalid("WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size + " bytes is too short");
      tag = u16(b, off + 24);
    }
    Encoding encoding = switch (tag) {
      case FORMAT_PCM -> bits == 16 ? Encoding.PCM16_LE : null;
      case FORMAT_MULAW -> bits == 8 ? Encoding.MULAW : null;
      case FORMAT_ALAW -> bits == 8 ? Encoding.ALAW : null;
      default -> null;
    };
    if (encoding == null) throw invalid("found " + describe(tag, bits));
    if (channels < 1 || channels > 8) throw invalid("channels=" + channels + " is not supported");
    if (rate < 4000 || rate > 192_000) throw invalid("sample rate=" + rate + " Hz is not supported");
    return new AudioFormat(encoding, (int) rate, channels);
  }

  private static String describe(int tag, int bits) {
    return switch (tag) {
      case FORMAT_PCM -> bits + "-bit PCM";
      case FORMAT_FLOAT -> bits + "-bit float PCM";
      case FORMAT_ALAW -> bits + "-bit A-law";
      case FORMAT_MULAW -> bits + "-bit μ-law";
      case 0x2 -> "MS ADPCM (format 0x2)";
      case 0x11 -> "IMA ADPCM (format 0x11)";
      case 0x31 -> "GSM 6.10 (format 0x31)";
      case 0x55 -> "MP3 (format 0x55)";
      default -> "format 0x" + Integer.toHexString(tag);
    };
  }

  /** Writes {@code data} in {@code format} as a WAV file (PCM16 big-endian is stored little-endian, as WAV requires). */
  public static void write(Path path, AudioFormat format, byte[] data) {
    try {
      Files.write(path, toBytes(format, data));
    } catch (IOException e) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, "audio", "wav file=" + path + ": cannot write: "
          + IoErrors.reason(e), e);
    }
  }

  /** The bytes of a WAV file holding {@code data} in {@code format}. */
  public static byte[] toBytes(AudioFormat format, byte[] data) {
    if (data.length % format.frameSize() != 0) {
      throw new AgentException(ErrorKind.INVALID_REQUEST, "audio", "wav data length=" + data.length
          + " is not a whole number of " + format.frameSize() + "-byte frames of " + format);
    }
    boolean pcm = format.encoding() == Encoding.PCM16_LE || format.encoding() == Encoding.PCM16_BE;
    int tag = switch (format.encoding()) {
      case PCM16_LE, PCM16_BE -> FORMAT_PCM;
      case MULAW -> FORMAT_MULAW;
      case ALAW -> FORMAT_ALAW;
    };
    // Non-PCM formats carry cbSize (fmt of 18 bytes) and a fact chunk with the sample count, as the RIFF spec asks.
    int fmtSize = pcm ? 16 : 18;
    int factSize = pcm ? 0 : 12;
    int pad = data.length & 1;
    int total = 12 + 8 + fmtSize + factSize + 8 + data.length + pad;
    byte[] out = new byte[total];
    int p = putTag(out, 0, "RIFF");
    p = putU32(out, p, total - 8);
    p = putTag(out, p, "WAVE");
    p = putTag(out, p, "fmt ");
    p = putU32(out, p, fmtSize);
    p = putU16(out, p, tag);
    p = putU16(out, p, format.channels());
    p = putU32(out, p, format.sampleRate());
    p = putU32(out, p, format.bytesPerSecond());
    p = putU16(out, p, format.frameSize());
    p = putU16(out, p, format.encoding().bytesPerSample() * 8);
    if (!pcm) {
      p = putU16(out, p, 0);
      p = putTag(out, p, "fact");
      p = putU32(out, p, 4);
      p = putU32(out, p, data.length / format.frameSize());
    }
    p = putTag(out, p, "data");
    p = putU32(out, p, data.length);
    if (format.encoding() == Encoding.PCM16_BE) {
      for (int i = 0; i < data.length; i += 2) {
        out[p + i] = data[i + 1];
        out[p + i + 1] = data[i];
      }
    } else {
      System.arraycopy(data, 0, out, p, data.length);
    }
    return out;
  }

  private static AgentException invalid(String found) {
    return new AgentException(ErrorKind.INVALID_REQUEST, "audio", "wav: " + found + "; " + ACCEPTED);
  }

  private static boolean tag(byte[] b, int off, String tag) {
    for (int i = 0; i < 4; i++) if (b[off + i] != tag.charAt(i)) return false;
    return true;
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int off) {
    return (u16(b, off) | (long) u16(b, off + 2) << 16);
  }

  private static int putTag(byte[] b, int off, String tag) {
    for (int i = 0; i < 4; i++) b[off + i] = (byte) tag.charAt(i);
    return off + 4;
  }

  private static int putU16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >> 8);
    return off + 2;
  }

  private static int putU32(byte[] b, int off, long v) {
    putU16(b, off, (int) v);
    putU16(b, off + 2, (int) (v >> 16));
    return off + 4;
  }
}
