package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.audio.MuLaw;
import voiceagent.audio.Pcm16;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class AudioConverterTest {
  private static final double AMPLITUDE = 12000;

  private static byte[] convert(AudioConverter c, byte[] in) {
    byte[] out = new byte[c.maxOutputBytes(in.length)];
    int n = c.convert(in, 0, in.length, out, 0);
    return Arrays.copyOf(out, n);
  }

  private static byte[] muLaw(short[] pcm) {
    byte[] b = new byte[pcm.length];
    MuLaw.encode(pcm, 0, pcm.length, b, 0);
    return b;
  }

  private static short[] pcmLe(byte[] b) {
    short[] s = new short[b.length / 2];
    Pcm16.toShorts(b, 0, s.length, s, 0, false);
    return s;
  }

  @Test
  void muLaw8kToPcm16k16AndBackKeepsATone() {
    short[] tone = Signals.sine(8000, 1000, AMPLITUDE, 8000, 0);
    AudioConverter up = AudioConverter.create(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K);
    AudioConverter down = AudioConverter.create(AudioFormat.PCM16_16K, AudioFormat.MULAW_8K);
    double upDelay = Resampler.create(8000, 16000).delaySeconds();
    double downDelay = Resampler.create(16000, 8000).delaySeconds();

    short[] wide = pcmLe(convert(up, muLaw(tone)));
    assertEquals(16000, wide.length);
    // μ-law quantisation alone limits a tone at this level to about 38 dB SNR.
    short[] wideExpected = Signals.sine(16000, 1000, AMPLITUDE, wide.length, upDelay);
    double snrUp = Signals.snrDb(wide, wideExpected, 400, wide.length);
    assertTrue(snrUp >= 33, "μ-law 8k → PCM16 16k SNR " + snrUp + " dB");

    byte[] back = convert(down, pcmLe(wide));
    short[] narrow = new short[back.length];
    MuLaw.decode(back, 0, back.length, narrow, 0);
    assertEquals(8000, narrow.length);
    short[] narrowExpected = Signals.sine(8000, 1000, AMPLITUDE, narrow.length, upDelay + downDelay);
    double snrBack = Signals.snrDb(narrow, narrowExpected, 200, narrow.length);
    assertTrue(snrBack >= 30, "round trip SNR " + snrBack + " dB");
  }

  @ParameterizedTest
  @EnumSource(value = Encoding.class, names = {"PCM16_LE", "PCM16_BE"})
  void pcmSplitAtOddBytesGivesTheSameOutputAsOneCall(Encoding encoding) {
    AudioFormat from = new AudioFormat(encoding, 24000, 1);
    short[] tone = Signals.sine(24000, 700, AMPLITUDE, 4800, 0);
    byte[] in = new byte[tone.length * 2];
    Pcm16.toBytes(tone, 0, tone.length, in, 0, encoding == Encoding.PCM16_BE);
    byte[] whole = convert(AudioConverter.create(from, AudioFormat.MULAW_8K), in);

    AudioConverter c = AudioConverter.create(from, AudioFormat.MULAW_8K);
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    Random random = new Random(7);
    for (int pos = 0; pos < in.length; ) {
      int n = Math.min(in.length - pos, 1 + 2 * random.nextInt(200)); // odd sizes split samples
      byte[] out = new byte[c.maxOutputBytes(n)];
      chunked.write(out, 0, c.convert(in, pos, n, out, 0));
      pos += n;
    }
    assertArrayEquals(whole, chunked.toByteArray());
  }

  @Test
  void littleToBigEndianAtTheSameRateSwapsBytes() {
    AudioConverter c = AudioConverter.create(AudioFormat.PCM16_16K, new AudioFormat(Encoding.PCM16_BE, 16000, 1));
    assertArrayEquals(new byte[] {0x12, 0x34, 0x56, 0x78}, convert(c, new byte[] {0x34, 0x12, 0x78, 0x56}));
  }

  @Test
  void aLawToMuLawPreservesSilenceAndIdentityIsACopy() {
    AudioConverter c = AudioConverter.create(AudioFormat.ALAW_8K, AudioFormat.MULAW_8K);
    byte[] silence = new byte[160];
    Arrays.fill(silence, (byte) 0xD5); // A-law +8
    byte[] out = convert(c, silence);
    assertEquals(160, out.length);
    for (byte b : out) assertEquals(8, MuLaw.decode(b));
    byte[] any = {1, 2, 3};
    assertArrayEquals(any, convert(AudioConverter.create(AudioFormat.MULAW_8K, AudioFormat.MULAW_8K), any));
  }

  @Test
  void resetDropsACarriedByte() {
    AudioConverter c = AudioConverter.create(AudioFormat.PCM16_8K, AudioFormat.MULAW_8K);
    byte[] out = new byte[16];
    assertEquals(1, c.convert(new byte[] {0, 0, 9}, 0, 3, out, 0));
    c.reset();
    assertEquals(1, c.convert(new byte[] {0, 0}, 0, 2, out, 0));
  }

  @Test
  void stereoIsRejectedNamingTheFormat() {
    AgentException e = assertThrows(AgentException.class,
        () -> AudioConverter.create(new AudioFormat(Encoding.PCM16_LE, 16000, 2), AudioFormat.MULAW_8K));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("channels=2"), e.getMessage());
  }

  @Test
  void twentyMillisecondFramesConvertWithoutAllocatingOnceWarm() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    AudioConverter up = AudioConverter.create(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K);
    AudioConverter down = AudioConverter.create(AudioFormat.PCM16_16K, AudioFormat.MULAW_8K);
    byte[] frame = muLaw(Signals.sine(8000, 440, AMPLITUDE, 160, 0));
    byte[] wide = new byte[up.maxOutputBytes(frame.length)];
    byte[] narrow = new byte[down.maxOutputBytes(wide.length)];
    for (int i = 0; i < 3000; i++) down.convert(wide, 0, up.convert(frame, 0, frame.length, wide, 0), narrow, 0);
    long tid = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 1000; i++) down.convert(wide, 0, up.convert(frame, 0, frame.length, wide, 0), narrow, 0);
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < 1000, "allocated " + allocated + " bytes converting 1000 frames each way");
  }

  private static byte[] pcmLe(short[] s) {
    byte[] b = new byte[s.length * 2];
    Pcm16.toBytes(s, 0, s.length, b, 0, false);
    return b;
  }
}
