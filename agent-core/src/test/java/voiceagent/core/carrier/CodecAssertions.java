package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Base64;

/** Helpers for codec tests: decode a documented example, compare an outbound message's exact JSON. */
final class CodecAssertions {
  static final ObjectMapper JSON = new ObjectMapper();

  private CodecAssertions() {}

  static <T extends CarrierEvent> T decode(CarrierCodec codec, String json, Class<T> type) {
    CarrierEvent e = codec.decodeText(json);
    return assertInstanceOf(type, e, () -> "decoded " + e);
  }

  /** The message is text and equal, as JSON (field order aside, no extra or missing field), to {@code expected}. */
  static void assertJson(String expected, WireMessage message) {
    assertFalse(message.binary(), "a text frame");
    try {
      JsonNode want = JSON.readTree(expected);
      JsonNode got = JSON.readTree(message.text());
      assertEquals(want, got, message.text());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + message.text(), e);
    }
  }

  static byte[] bytes(CarrierEvent.Media media) {
    return Arrays.copyOf(media.data(), media.length());
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static byte[] ramp(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
    return b;
  }
}
