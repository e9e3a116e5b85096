package voiceagent.audio.internal.lightning;

/**
 * Keeps PCM16 chunks whole: chunk boundaries on the wire are arbitrary, so an odd trailing byte is held back and
 * put in front of the next chunk.
 *
 * <p>Thread contract: not thread-safe; one per synthesis.
 */
final class PcmCarry {
  private int carry = -1; // the held-back byte, or -1

  /**
   * Returns the even-length audio ready to deliver (possibly empty): {@code bytes} itself when nothing is carried in
   * or out (the usual case, no copy), so the caller must hand over an array nobody else writes to.
   */
  byte[] push(byte[] bytes) {
    if (carry < 0 && (bytes.length & 1) == 0) return bytes;
    int total = bytes.length + (carry >= 0 ? 1 : 0);
    int even = total & ~1;
    byte[] out = new byte[even];
    int o = 0;
    int i = 0;
    if (carry >= 0 && even > 0) {
      out[o++] = (byte) carry;
      carry = -1;
    }
    while (o < even) out[o++] = bytes[i++];
    if (i < bytes.length) carry = bytes[i] & 0xFF;
    return out;
  }

  /** Whether a byte is still held back (a truncated last sample). */
  boolean pending() {
    return carry >= 0;
  }
}
