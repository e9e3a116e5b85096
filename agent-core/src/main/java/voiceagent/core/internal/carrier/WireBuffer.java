package voiceagent.core.internal.carrier;

import java.util.Arrays;
import voiceagent.common.Base64Bytes;
import voiceagent.core.carrier.WireMessage;

/**
 * A growable byte buffer that builds one outbound message at a time (JSON text with escaped strings and base64
 * payloads, or binary audio) and is the {@link WireMessage} view of it. Reset per message, never reallocated once it
 * has reached the size of the largest message, so building a media frame allocates nothing.
 *
 * <p>Thread contract: confined to one codec.
 */
public final class WireBuffer implements WireMessage {
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;
  private boolean binary;

  public WireBuffer(int initialCapacity) {
    bytes = new byte[initialCapacity];
  }

  /** Starts a new text message. */
  public WireBuffer textMessage() {
    length = 0;
    binary = false;
    return this;
  }

  /** Starts a new binary message. */
  public WireBuffer binaryMessage() {
    length = 0;
    binary = true;
    return this;
  }

  /** Appends ASCII bytes as they are (JSON punctuation and known keys). */
  public WireBuffer raw(byte[] ascii) {
    ensure(ascii.length);
    System.arraycopy(ascii, 0, bytes, length, ascii.length);
    length += ascii.length;
    return this;
  }

  /** Appends bytes as they are (binary audio). */
  public WireBuffer raw(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, bytes, length, len);
    length += len;
    return this;
  }

  /** Appends {@code n} copies of {@code b} (silence padding). */
  public WireBuffer fill(byte b, int n) {
    ensure(n);
    Arrays.fill(bytes, length, length + n, b);
    length += n;
    return this;
  }

  /** Appends {@code s} as a quoted JSON string in UTF-8. */
  public WireBuffer string(String s) {
    ensure(s.length() * 6 + 2);
    bytes[length++] = '"';
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
      } else if (c < 0x20) {
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        bytes[length++] = '0';
        bytes[length++] = '0';
        bytes[length++] = HEX[c >> 4];
        bytes[length++] = HEX[c & 0xF];
      } else if (c < 0x80) {
        bytes[length++] = (byte) c;
      } else if (c < 0x800) {
        bytes[length++] = (byte) (0xC0 | (c >> 6));
        bytes[length++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        bytes[length++] = (byte) (0xF0 | (cp >> 18));
        bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        // A lone surrogate has no UTF-8 form: write the replacement character rather than invalid bytes.
        char d = Character.isSurrogate(c) ? '\uFFFD' : c;
        bytes[length++] = (byte) (0xE0 | (d >> 12));
        bytes[length++] = (byte) (0x80 | ((d >> 6) & 0x3F));
        bytes[length++] = (byte) (0x80 | (d & 0x3F));
      }
    }
    bytes[length++] = '"';
    return this;
  }

  /** Appends a decimal number. */
  public WireBuffer number(int n) {
    return raw(Integer.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** Appends {@code src[off, off+len)} base64-encoded (no quotes). */
  public WireBuffer base64(byte[] src, int off, int len) {
    ensure(Base64Bytes.encodedLength(len));
    length += Base64Bytes.encode(src, off, len, bytes, length);
    return this;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
  }

  @Override
  public boolean binary() {
    return binary;
  }

  @Override
  public byte[] array() {
    return bytes;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public String toString() {
    return binary ? "binary[" + length + "]" : text();
  }
}
