package voiceagent.audio;

/**
 * Signed 16-bit PCM bytes ↔ {@code short} samples, little- or big-endian.
 *
 * <p>Thread contract: stateless.
 */
public final class Pcm16 {
  private Pcm16() {}

  /** Reads {@code samples} samples from {@code src[srcOff..]} (2 bytes each) into {@code dst[dstOff..]}. */
  public static void toShorts(byte[] src, int srcOff, int samples, short[] dst, int dstOff, boolean bigEndian) {
    if (bigEndian) {
      for (int i = 0, b = srcOff; i < samples; i++, b += 2) {
        dst[dstOff + i] = (short) ((src[b] << 8) | (src[b + 1] & 0xFF));
      }
    } else {
      for (int i = 0, b = srcOff; i < samples; i++, b += 2) {
        dst[dstOff + i] = (short) ((src[b + 1] << 8) | (src[b] & 0xFF));
      }
    }
  }

  /** Writes {@code samples} samples from {@code src[srcOff..]} as bytes at {@code dst[dstOff..]}. */
  public static void toBytes(short[] src, int srcOff, int samples, byte[] dst, int dstOff, boolean bigEndian) {
    if (bigEndian) {
      for (int i = 0, b = dstOff; i < samples; i++, b += 2) {
        short s = src[srcOff + i];
        dst[b] = (byte) (s >> 8);
        dst[b + 1] = (byte) s;
      }
    } else {
      for (int i = 0, b = dstOff; i < samples; i++, b += 2) {
        short s = src[srcOff + i];
        dst[b] = (byte) s;
        dst[b + 1] = (byte) (s >> 8);
      }
    }
  }
}
