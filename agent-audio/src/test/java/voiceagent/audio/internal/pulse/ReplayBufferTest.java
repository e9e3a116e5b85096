package voiceagent.audio.internal.pulse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

  private static byte[] batch(int from, int len) {
    byte[] b = new byte[len + 3]; // longer than its audio, like a partly filled batch
    for (int i = 0; i < len; i++) b[i] = (byte) (from + i);
    return b;
  }

  private static byte[] read(ReplayBuffer b, long from, long to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.forEach(from, to, out::write);
    return out.toByteArray();
  }

  @Test
  void keepsTheNewestBytesAddressedByStreamPosition() {
    ReplayBuffer b = new ReplayBuffer(10);
    b.add(batch(0, 7), 7);
    b.add(batch(7, 6), 6);
    assertEquals(3, b.start());
    assertEquals(13, b.end());
    assertArrayEquals(new byte[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, read(b, 3, 13));
    b.add(batch(13, 12), 12); // more than the capacity at once
    assertEquals(15, b.start());
    assertArrayEquals(new byte[] {20, 21, 22, 23, 24}, read(b, 20, 25));
    assertThrows(IndexOutOfBoundsException.class, () -> read(b, 14, 16));
    assertThrows(IndexOutOfBoundsException.class, () -> read(b, 20, 26));
  }

  @Test
  void handsOutSlicesOfTheAddedArraysWithoutCopying() {
    ReplayBuffer b = new ReplayBuffer(100);
    byte[] first = batch(0, 4);
    byte[] second = batch(4, 4);
    b.add(first, 4);
    b.add(second, 4);
    List<Object[]> slices = new ArrayList<>();
    b.forEach(2, 7, (data, off, len) -> slices.add(new Object[] {data, off, len}));
    assertEquals(2, slices.size());
    assertSame(first, slices.get(0)[0]);
    assertEquals(2, slices.get(0)[1]);
    assertEquals(2, slices.get(0)[2]);
    assertSame(second, slices.get(1)[0]);
    assertEquals(0, slices.get(1)[1]);
    assertEquals(3, slices.get(1)[2]);
  }
}
