package voiceagent.audio;

/**
 * G.711 μ-law ↔ signed 16-bit PCM, table-driven in both directions so the per-frame hot path is two array lookups per
 * sample and allocates nothing.
 *
 * <p>Thread contract: immutable (static tables).
 */
public final class MuLaw {
  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;
  private static final short[] DECODE = new short[256];
  /** Indexed by the 14 most significant bits of a PCM16 sample (sample >> 2, offset to be non-negative). */
  private static final byte[] ENCODE = new byte[1 << 14];

  static {
    for (int i = 0; i < 256; i++) {
      int u = ~i & 0xFF;
      int t = ((u & 0x0F) << 3) + BIAS;
      t <<= (u & 0x70) >> 4;
      DECODE[i] = (short) ((u & 0x80) != 0 ? BIAS - t : t - BIAS);
    }
    for (int i = 0; i < ENCODE.length; i++) {
      ENCODE[i] = encodeSlow((short) ((i - (1 << 13)) << 2));
    }
  }

  private MuLaw() {}

  private static byte encodeSlow(short pcm) {
    int sample = pcm;
    int sign = (sample >> 8) & 0x80;
    if (sign != 0) sample = -sample;
    if (sample > CLIP) sample = CLIP;
    sample += BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
    int mantissa = (sample >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static short decode(byte mulaw) {
    return DECODE[mulaw & 0xFF];
  }

  public static byte encode(short pcm) {
    return ENCODE[(pcm >> 2) + (1 << 13)];
  }

  /** Decodes {@code len} μ-law bytes from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
  public static void decode(byte[] src, int srcOff, int len, short[] dst, int dstOff) {
    for (int i = 0; i < len; i++) dst[dstOff + i] = DECODE[src[srcOff + i] & 0xFF];
  }

  /** Encodes {@code len} samples from {@code src[srcOff..]} into μ-law bytes at {@code dst[dstOff..]}. */
  public static void encode(short[] src, int srcOff, int len, byte[] dst, int dstOff) {
    for (int i = 0; i < len; i++) dst[dstOff + i] = ENCODE[(src[srcOff + i] >> 2) + (1 << 13)];
  }
}
