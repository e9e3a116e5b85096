package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** μ-law and A-law against G.711 reference values and their quantisation bounds. */
class G711Test {

  @Test
  void muLawDecodesKnownCodes() {
    // Codes 0x80..0xFF are positive, 0x00..0x7F negative; all bits are inverted on the wire.
    assertEquals(32124, MuLaw.decode((byte) 0x80));
    assertEquals(-32124, MuLaw.decode((byte) 0x00));
    assertEquals(0, MuLaw.decode((byte) 0xFF));
    assertEquals(0, MuLaw.decode((byte) 0x7F));
    assertEquals(8, MuLaw.decode((byte) 0xFE));
    assertEquals(-8, MuLaw.decode((byte) 0x7E));
    assertEquals(120, MuLaw.decode((byte) 0xF0)); // end of the first segment: 15 steps of 8
    assertEquals(7932, MuLaw.decode((byte) 0xA0)); // segment 5, mantissa 15
  }

  @Test
  void muLawEncodesKnownSamples() {
    assertEquals(0xFF, MuLaw.encode((short) 0) & 0xFF);
    assertEquals(0x80, MuLaw.encode(Short.MAX_VALUE) & 0xFF);
    assertEquals(0x00, MuLaw.encode(Short.MIN_VALUE) & 0xFF);
    assertEquals(0xFE, MuLaw.encode((short) 8) & 0xFF);
    assertEquals(0x7E, MuLaw.encode((short) -8) & 0xFF);
  }

  @Test
  void aLawDecodesKnownCodes() {
    // Even bits are inverted on the wire (XOR 0x55); 0x80 set means positive.
    assertEquals(8, ALaw.decode((byte) 0xD5));
    assertEquals(-8, ALaw.decode((byte) 0x55));
    assertEquals(32256, ALaw.decode((byte) 0xAA));
    assertEquals(-32256, ALaw.decode((byte) 0x2A));
    assertEquals(24, ALaw.decode((byte) 0xD4));
    assertEquals(264, ALaw.decode((byte) 0xC5)); // first step of segment 1
  }

  @Test
  void aLawEncodesKnownSamples() {
    assertEquals(0xD5, ALaw.encode((short) 0) & 0xFF);
    assertEquals(0x55, ALaw.encode((short) -1) & 0xFF);
    assertEquals(0xAA, ALaw.encode(Short.MAX_VALUE) & 0xFF);
    assertEquals(0x2A, ALaw.encode(Short.MIN_VALUE) & 0xFF);
  }

  @Test
  void everyCodeDecodesAndEncodesToItself() {
    for (int c = 0; c < 256; c++) {
      // μ-law has two zeros: 0x7F (negative zero) decodes to 0, which encodes as 0xFF.
      int mu = c == 0x7F ? 0xFF : c;
      assertEquals(mu, MuLaw.encode(MuLaw.decode((byte) c)) & 0xFF, "μ-law code " + c);
      assertEquals(c, ALaw.encode(ALaw.decode((byte) c)) & 0xFF, "A-law code " + c);
    }
  }

  @Test
  void quantisationErrorStaysWithinHalfASegmentStep() {
    for (int x = -32000; x <= 32000; x++) {
      int abs = Math.abs(x);
      // μ-law steps are 2^(seg+3) where |x| + 132 >= 2^(seg+7): half a step is at most (|x| + 132) / 32, plus 4 for
      // the table lookup on 14 of the 16 bits.
      int mu = Math.abs(MuLaw.decode(MuLaw.encode((short) x)) - x);
      assertTrue(mu <= (abs + 132) / 32 + 4, "μ-law error " + mu + " at " + x);
      // A-law steps are 16 up to |x| = 512, then 2^(seg+3) where |x| >= 2^(seg+7).
      int a = Math.abs(ALaw.decode(ALaw.encode((short) x)) - x);
      assertTrue(a <= Math.max(8, abs / 32), "A-law error " + a + " at " + x);
    }
  }

  @Test
  void arrayFormsMatchTheScalarForms() {
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) codes[i] = (byte) i;
    short[] mu = new short[258];
    short[] a = new short[258];
    MuLaw.decode(codes, 0, 256, mu, 2);
    ALaw.decode(codes, 0, 256, a, 2);
    byte[] muBack = new byte[256];
    byte[] aBack = new byte[256];
    MuLaw.encode(mu, 2, 256, muBack, 0);
    ALaw.encode(a, 2, 256, aBack, 0);
    for (int i = 0; i < 256; i++) {
      assertEquals(MuLaw.decode((byte) i), mu[i + 2]);
      assertEquals(ALaw.decode((byte) i), a[i + 2]);
      assertEquals(MuLaw.encode(mu[i + 2]), muBack[i]);
    }
    assertArrayEquals(codes, aBack);
  }

  @Test
  void pcm16ReadsAndWritesBothByteOrders() {
    byte[] le = {0x34, 0x12, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80};
    byte[] be = {0x12, 0x34, (byte) 0xFF, (byte) 0xFF, (byte) 0x80, 0x00};
    short[] expected = {0x1234, -1, Short.MIN_VALUE};
    short[] fromLe = new short[3];
    short[] fromBe = new short[3];
    Pcm16.toShorts(le, 0, 3, fromLe, 0, false);
    Pcm16.toShorts(be, 0, 3, fromBe, 0, true);
    assertArrayEquals(expected, fromLe);
    assertArrayEquals(expected, fromBe);
    byte[] outLe = new byte[6];
    byte[] outBe = new byte[6];
    Pcm16.toBytes(expected, 0, 3, outLe, 0, false);
    Pcm16.toBytes(expected, 0, 3, outBe, 0, true);
    assertArrayEquals(le, outLe);
    assertArrayEquals(be, outBe);
  }
}
