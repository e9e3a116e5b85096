package voiceagent.common;

/**
 * Base64 straight between a JSON parser's characters, byte arrays and outbound JSON, without the temporary
 * arrays {@link java.util.Base64} needs for {@code char} input and {@code byte[]} output slices.
 *
 * <p>Decoding is tolerant the way carriers need: standard or URL-safe alphabet, padding optional, whitespace (an
 * escaped {@code \n} in the JSON string) skipped.
 *
 * <p>Thread contract: stateless.
 */
public final class Base64Bytes {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int WHITESPACE = -2;
  private static final int PAD = -3;
  private static final int[] DECODE = new int[128];

  static {
    java.util.Arrays.fill(DECODE, -1);
    for (int i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET[i]] = i;
    DECODE['-'] = 62;
    DECODE['_'] = 63;
    DECODE['='] = PAD;
    DECODE[' '] = WHITESPACE;
    DECODE['\n'] = WHITESPACE;
    DECODE['\r'] = WHITESPACE;
    DECODE['\t'] = WHITESPACE;
  }

  private Base64Bytes() {}

  /** The most bytes {@code chars} base64 characters can decode to. */
  public static int maxDecoded(int chars) {
    return (chars / 4) * 3 + 3;
  }

  /** Characters (with padding) that encode {@code bytes} bytes. */
  public static int encodedLength(int bytes) {
    return (bytes + 2) / 3 * 4;
  }

  /**
   * Decodes {@code src[off, off+len)} into {@code dst} (at least {@link #maxDecoded} long); returns the byte count, or
   * {@code -1} when the text is not base64 (a foreign character, data after padding, a dangling single character).
   */
  public static int decode(char[] src, int off, int len, byte[] dst) {
    int out = 0;
    int i = off;
    int end = off + len;
    // Whole groups of four alphabet characters first, one check per group: the bulk of any audio payload.
    for (; i + 4 <= end; i += 4) {
      char c0 = src[i];
      char c1 = src[i + 1];
      char c2 = src[i + 2];
      char c3 = src[i + 3];
      if ((c0 | c1 | c2 | c3) >= 128) break;
      int v0 = DECODE[c0];
      int v1 = DECODE[c1];
      int v2 = DECODE[c2];
      int v3 = DECODE[c3];
      if ((v0 | v1 | v2 | v3) < 0) break; // padding, whitespace or a foreign character: the careful loop below
      int group = v0 << 18 | v1 << 12 | v2 << 6 | v3;
      dst[out++] = (byte) (group >> 16);
      dst[out++] = (byte) (group >> 8);
      dst[out++] = (byte) group;
    }
    int acc = 0;
    int n = 0;
    boolean padded = false;
    for (; i < end; i++) {
      char c = src[i];
      int v = c < 128 ? DECODE[c] : -1;
      if (v >= 0) {
        if (padded) return -1;
        acc = (acc << 6) | v;
        if (++n == 4) {
          dst[out++] = (byte) (acc >> 16);
          dst[out++] = (byte) (acc >> 8);
          dst[out++] = (byte) acc;
          acc = 0;
          n = 0;
        }
      } else if (v == PAD) {
        padded = true;
      } else if (v != WHITESPACE) {
        return -1;
      }
    }
    switch (n) {
      case 0 -> { }
      case 2 -> dst[out++] = (byte) (acc >> 4);
      case 3 -> {
        dst[out++] = (byte) (acc >> 10);
        dst[out++] = (byte) (acc >> 2);
      }
      default -> {
        return -1;
      }
    }
    return out;
  }

  /** Encodes {@code src[off, off+len)} with padding at {@code dst[dstOff..]}; returns the characters written. */
  public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int o = dstOff;
    int i = off;
    int end = off + len - len % 3;
    for (; i < end; i += 3) {
      int v = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF);
      dst[o++] = ALPHABET[v >>> 18];
      dst[o++] = ALPHABET[(v >>> 12) & 0x3F];
      dst[o++] = ALPHABET[(v >>> 6) & 0x3F];
      dst[o++] = ALPHABET[v & 0x3F];
    }
    int rest = off + len - i;
    if (rest == 1) {
      int v = (src[i] & 0xFF) << 16;
      dst[o++] = ALPHABET[v >>> 18];
      dst[o++] = ALPHABET[(v >>> 12) & 0x3F];
      dst[o++] = '=';
      dst[o++] = '=';
    } else if (rest == 2) {
      int v = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8;
      dst[o++] = ALPHABET[v >>> 18];
      dst[o++] = ALPHABET[(v >>> 12) & 0x3F];
      dst[o++] = ALPHABET[(v >>> 6) & 0x3F];
      dst[o++] = '=';
    }
    return o - dstOff;
  }
}
