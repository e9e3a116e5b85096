package voiceagent.audio.internal.lightning;

import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * The PCM inside an HTTP synthesis body: raw PCM16 as it is, or the {@code data} chunk of a RIFF/WAVE body (servers
 * may add a header whatever {@code output_format} says, and {@code Accept: audio/wav} is required).
 *
 * <p>Thread contract: stateless.
 */
final class WavPayload {
  private WavPayload() {}

  static byte[] pcm16(byte[] body) {
    if (body.length < 12 || !ascii(body, 0, "RIFF") || !ascii(body, 8, "WAVE")) return evenLength(body);
    int pos = 12;
    while (pos + 8 <= body.length) {
      int size = le32(body, pos + 4);
      if (ascii(body, pos, "fmt ") && pos + 24 <= body.length) {
        int format = le16(body, pos + 8);
        int bits = le16(body, pos + 22);
        if (format != 1 || bits != 16) {
          throw new AgentException(ErrorKind.PROTOCOL, LightningWire.SERVICE,
              "Lightning WAV body: format=" + format + " bits=" + bits + ", expected PCM 16-bit");
        }
      }
      if (ascii(body, pos, "data")) {
        int start = pos + 8;
        int len = size < 0 || start + size > body.length ? body.length - start : size;
        byte[] pcm = new byte[len & ~1];
        System.arraycopy(body, start, pcm, 0, pcm.length);
        return pcm;
      }
      pos += 8 + size + (size & 1);
    }
    throw new AgentException(ErrorKind.PROTOCOL, LightningWire.SERVICE, "Lightning WAV body has no data chunk");
  }

  private static byte[] evenLength(byte[] b) {
    if ((b.length & 1) == 0) return b;
    byte[] even = new byte[b.length - 1];
    System.arraycopy(b, 0, even, 0, even.length);
    return even;
  }

  private static boolean ascii(byte[] b, int off, String tag) {
    for (int i = 0; i < 4; i++) if (b[off + i] != tag.charAt(i)) return false;
    return true;
  }

  private static int le16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  private static int le32(byte[] b, int off) {
    return le16(b, off) | le16(b, off + 2) << 16;
  }
}
