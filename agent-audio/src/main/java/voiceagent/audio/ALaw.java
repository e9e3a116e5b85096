package voiceagent.audio;

/**
 * G.711 A-law ↔ signed 16-bit PCM, table-driven like {@link MuLaw}.
 *
 * <p>Thread contract: immutable (static tables).
 */
public final class ALaw {
  private static final short[] DECODE = new short[256];
  /** Indexed by the 13 most significant bits of a PCM16 sample (sample >> 3, offset to be non-negative). */
  private static final byte[] ENCODE = new byte[1 << 13];

  static {
    for (int i = 0; i < 256; i++) {
      int a = i ^ 0x55;
      int t = (a & 0x0F) << 4;
      int seg = (a & 0x70) >> 4;
      switch (seg) {
        case 0 -> t += 8;
        case 1 -> t += 0x108;
        default -> {
          t += 0x108;
          t <<= seg - 1;
        }
      }
      DECODE[i] = (short) ((a & 0x80) != 0 ? t : -t);
    }
    for (int i = 0; i < ENCODE.length; i++) {
      ENCODE[i] = encodeSlow((short) ((i - (1 << 12)) << 3));
    }
  }

  private ALaw() {}

  private static byte encodeSlow(short pcm) {
    int sample = pcm >> 3;
    int mask;
    if (sample >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      sample = -sample - 1;
    }
    int seg = 0;
    int[] segEnd = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    while (seg < 8 && sample > segEnd[seg]) seg++;
    if (seg >= 8) return (byte) (0x7F ^ mask);
    int aval = seg << 4;
    aval |= seg < 2 ? (sample >> 1) & 0x0F : (sample >> seg) & 0x0F;
    return (byte) (aval ^ mask);
  }

  public static short decode(byte alaw) {
    return DECODE[alaw & 0xFF];
  }

  public static byte encode(short pcm) {
    return ENCODE[(pcm >> 3) + (1 << 12)];
  }

  /** Decodes {@code len} A-law bytes from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
  public static void decode(byte[] src, int srcOff, int len, short[] dst, int dstOff) {
    for (int i = 0; i < len; i++) dst[dstOff + i] = DECODE[src[srcOff + i] & 0xFF];
  }

  /** Encodes {@code len} samples from {@code src[srcOff..]} into A-law bytes at {@code dst[dstOff..]}. */
  public static void encode(short[] src, int srcOff, int len, byte[] dst, int dstOff) {
    for (int i = 0; i < len; i++) dst[dstOff + i] = ENCODE[(src[srcOff + i] >> 3) + (1 << 12)];
  }
}
