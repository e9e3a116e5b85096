package voiceagent.audio.internal.pulse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReplayBufferTest {

  @Test
  void keepsTheNewestBytesAddressedByStreamPosition() {
    ReplayBuffer b = new ReplayBuffer(10);
    byte[] data = new byte[25];
    for (int i = 0; i < data.length; i++) data[i] = (byte) i;
    b.append(data, 0, 7);
    b.append(data, 7, 6); // wraps
    assertEquals(3, b.start());
    assertEquals(13, b.end());
    byte[] out = new byte[10];
    b.copy(3, out, 0, 10);
    assertArrayEquals(new byte[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, out);
    b.append(data, 13, 12); // more than the capacity at once
    assertEquals(15, b.start());
    b.copy(20, out, 0, 5);
    assertArrayEquals(new byte[] {20, 21, 22, 23, 24}, java.util.Arrays.copyOf(out, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> b.copy(14, new byte[2], 0, 2));
  }
}
