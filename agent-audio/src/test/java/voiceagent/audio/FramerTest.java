package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.common.AgentException;

class FramerTest {
  private final List<byte[]> frames = new ArrayList<>();
  private final Framer.FrameSink recorder = (f, off, len) -> frames.add(Arrays.copyOfRange(f, off, off + len));

  @Test
  void frameSizesFollowTheFormat() {
    assertEquals(160, new Framer(AudioFormat.MULAW_8K, recorder).frameBytes());
    assertEquals(320, new Framer(AudioFormat.PCM16_8K, recorder).frameBytes());
    assertEquals(640, new Framer(AudioFormat.PCM16_16K, recorder).frameBytes());
    assertEquals(960, new Framer(AudioFormat.PCM16_24K, 20, recorder).frameBytes());
    assertEquals(1764, new Framer(new AudioFormat(Encoding.PCM16_LE, 44100, 1), 20, recorder).frameBytes());
    assertEquals(8000, new Framer(AudioFormat.MULAW_8K, 1000, recorder).frameBytes());
  }

  @Test
  void piecesOfAnySizeComeOutAsWholeFramesInOrder() {
    Framer framer = new Framer(AudioFormat.PCM16_16K, recorder);
    byte[] stream = new byte[640 * 10 + 123];
    new Random(3).nextBytes(stream);
    Random sizes = new Random(5);
    for (int pos = 0; pos < stream.length; ) {
      int n = Math.min(stream.length - pos, sizes.nextInt(1500));
      framer.push(stream, pos, n);
      pos += n;
    }
    assertEquals(10, frames.size());
    assertEquals(123, framer.pendingBytes());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      assertEquals(640, f.length);
      joined.writeBytes(f);
    }
    assertArrayEquals(Arrays.copyOf(stream, 6400), joined.toByteArray());
  }

  @Test
  void flushPadsWithTheSilenceOfEachEncoding() {
    byte[][] silence = {{(byte) 0xFF}, {(byte) 0xD5}, {0}};
    AudioFormat[] formats = {AudioFormat.MULAW_8K, AudioFormat.ALAW_8K, new AudioFormat(Encoding.PCM16_BE, 8000, 1)};
    for (int i = 0; i < formats.length; i++) {
      frames.clear();
      Framer framer = new Framer(formats[i], recorder);
      framer.push(new byte[] {1, 2, 3, 4}, 0, 4);
      framer.flush(true);
      assertEquals(1, frames.size());
      byte[] frame = frames.get(0);
      assertEquals(framer.frameBytes(), frame.length);
      assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOf(frame, 4));
      for (int j = 4; j < frame.length; j++) assertEquals(silence[i][0], frame[j], formats[i] + " byte " + j);
    }
  }

  @Test
  void flushWithoutPaddingEmitsTheShortRestOnceAndNothingWhenEmpty() {
    Framer framer = new Framer(AudioFormat.MULAW_8K, recorder);
    framer.push(new byte[200], 0, 200);
    framer.flush(false);
    framer.flush(false);
    framer.flush(true);
    assertEquals(List.of(160, 40), frames.stream().map(f -> f.length).toList());
  }

  @Test
  void clearDropsThePartialFrame() {
    Framer framer = new Framer(AudioFormat.MULAW_8K, recorder);
    byte[] ones = new byte[100];
    Arrays.fill(ones, (byte) 1);
    framer.push(ones, 0, 100);
    framer.clear();
    framer.push(new byte[160], 0, 160);
    assertEquals(1, frames.size());
    for (byte b : frames.get(0)) assertNotEquals(1, b);
  }

  @Test
  void zeroLengthFramesAreRejected() {
    AgentException e = assertThrows(AgentException.class, () -> new Framer(AudioFormat.MULAW_8K, 0, recorder));
    assertTrue(e.getMessage().contains("frame_millis=0"), e.getMessage());
  }

  @Test
  void audioFrameKnowsItsDurationAndComparesBytes() {
    AudioFrame a = AudioFrame.copyOf(AudioFormat.PCM16_16K, new byte[700], 30, 640, 40);
    assertEquals(20, a.durationMillis());
    assertEquals(a, new AudioFrame(AudioFormat.PCM16_16K, new byte[640], 40));
    assertEquals(a.hashCode(), new AudioFrame(AudioFormat.PCM16_16K, new byte[640], 40).hashCode());
    assertNotEquals(a, new AudioFrame(AudioFormat.PCM16_16K, new byte[640], 60));
    assertThrows(AgentException.class, () -> new AudioFrame(AudioFormat.PCM16_16K, new byte[3], 0));
  }
}
