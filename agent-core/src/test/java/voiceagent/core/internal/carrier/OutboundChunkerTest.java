package voiceagent.core.internal.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierCodec;

/** Exotel's outbound chunk rules: multiples of 320 bytes, at least 3,200, at most 100 KB, nothing lost or reordered. */
class OutboundChunkerTest {
  private final CarrierCodec exotel = Carrier.EXOTEL.newCodec();
  private final List<Integer> sizes = new ArrayList<>();
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private OutboundChunker chunker;

  OutboundChunkerTest() {
    exotel.decodeText("{\"event\":\"start\",\"stream_sid\":\"s\",\"start\":{\"media_format\":{\"encoding\":\"audio/x-raw\","
        + "\"sample_rate\":\"8000\"}}}");
    chunker = new OutboundChunker(exotel, m -> {
      String payload = m.text().replaceAll(".*\"payload\":\"([^\"]*)\".*", "$1");
      byte[] audio = Base64.getDecoder().decode(payload);
      sizes.add(audio.length);
      sent.writeBytes(audio);
    });
  }

  @Test
  void aLongWriteIsCutIntoChunksOfAtMostOneHundredKilobytes() {
    byte[] audio = ramp(250_000);
    chunker.add(audio, 0, audio.length);
    chunker.flush();
    for (int s : sizes) {
      assertEquals(0, s % 320, "size " + s);
      assertTrue(s >= 3200 && s <= 100_000, "size " + s);
    }
    assertArrayEquals(audio, java.util.Arrays.copyOf(sent.toByteArray(), audio.length));
    assertTrue(sent.size() - audio.length < 3200, "only the last chunk is padded");
  }

  @Test
  void oddSizedWritesComeOutWholeAndInOrder() {
    byte[] audio = ramp(10_007);
    for (int off = 0; off < audio.length; off += 333) chunker.add(audio, off, Math.min(333, audio.length - off));
    assertEquals(List.of(3200, 3200, 3200), sizes, "whole chunks as soon as they are complete");
    chunker.flush();
    assertEquals(List.of(3200, 3200, 3200, 3200), sizes, "the 407-byte rest is padded to the minimum");
    byte[] out = sent.toByteArray();
    assertArrayEquals(audio, java.util.Arrays.copyOf(out, audio.length));
    assertArrayEquals(new byte[out.length - audio.length], java.util.Arrays.copyOfRange(out, audio.length, out.length));
  }

  @Test
  void dropForgetsThePartialChunk() {
    chunker.add(ramp(1000), 0, 1000);
    chunker.drop();
    chunker.flush();
    assertEquals(List.of(), sizes);
  }

  private static byte[] ramp(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 13 + 1);
    return b;
  }
}
