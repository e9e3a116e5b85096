package voiceagent.audio.internal.lightning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PcmCarryTest {

  @Test
  void anEvenChunkWithNothingCarriedIsDeliveredAsItIs() {
    PcmCarry carry = new PcmCarry();
    byte[] chunk = {1, 2, 3, 4};
    assertSame(chunk, carry.push(chunk));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, chunk);
    assertFalse(carry.pending());
  }

  @Test
  void oddChunksCarryTheirLastByteIntoTheNextSoSamplesStayWhole() {
    PcmCarry carry = new PcmCarry();
    assertArrayEquals(new byte[] {1, 2}, carry.push(new byte[] {1, 2, 3}));
    assertTrue(carry.pending());
    assertArrayEquals(new byte[0], carry.push(new byte[0]));
    assertArrayEquals(new byte[] {3, 4}, carry.push(new byte[] {4})); // the carried byte first
    assertFalse(carry.pending());
    assertArrayEquals(new byte[0], carry.push(new byte[] {5}));
    assertArrayEquals(new byte[] {5, 6, 7, 8}, carry.push(new byte[] {6, 7, 8, 9})); // even in, odd out: 9 waits
    assertTrue(carry.pending());
    byte[] next = {10, 11, 12};
    byte[] out = carry.push(next);
    assertArrayEquals(new byte[] {9, 10, 11, 12}, out);
    assertFalse(carry.pending());
  }
}
