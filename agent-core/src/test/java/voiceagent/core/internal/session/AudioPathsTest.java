package voiceagent.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.audio.MuLaw;

/** Conversions exist only where formats really differ. */
class AudioPathsTest {

  @Test
  void telephonyMulawIsNeverResampled() {
    AudioPaths p = new AudioPaths(AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
    assertFalse(p.converts());
    assertEquals(AudioFormat.MULAW_8K, p.pulseFormat());
    assertEquals(8000, p.lightningRate());
    byte[] pcm = {(byte) 0x34, (byte) 0x12, (byte) 0xCC, (byte) 0xED}; // 0x1234, -0x1234 little-endian
    byte[] shared = pcm.clone();
    byte[] out = p.toTransport(shared, shared.length, false);
    assertEquals(2, p.lastLength());
    assertEquals(MuLaw.encode((short) 0x1234), out[0]);
    assertEquals(MuLaw.encode((short) 0xEDCC), out[1]);
    assertArrayEquals(pcm, shared, "a shared array (a cached line) is left as it was");
    byte[] owned = pcm.clone();
    assertSame(owned, p.toTransport(owned, owned.length, true), "a chunk's own array is encoded in place");
    assertEquals(2, p.lastLength());
    assertArrayEquals(new byte[] {out[0], out[1]}, Arrays.copyOf(owned, 2));
  }

  @Test
  void browserPcmAt48kPassesThroughBothWays() {
    AudioPaths p = new AudioPaths(AudioFormat.PCM16_48K, AudioFormat.PCM16_48K);
    assertFalse(p.converts());
    assertEquals(48_000, p.lightningRate());
    byte[] pcm = new byte[960];
    assertSame(pcm, p.toTransport(pcm, pcm.length, true), "Lightning's own buffer, no copy");
  }

  @Test
  void onlyFormatsPulseOrLightningCannotProduceAreConverted() {
    AudioPaths big = new AudioPaths(new AudioFormat(Encoding.PCM16_BE, 16_000, 1),
        new AudioFormat(Encoding.PCM16_BE, 16_000, 1));
    assertTrue(big.converts());
    assertEquals(AudioFormat.PCM16_16K, big.pulseFormat());
    assertTrue(big.outboundPath().startsWith("convert pcm16 16000"), big.outboundPath());
  }
}
