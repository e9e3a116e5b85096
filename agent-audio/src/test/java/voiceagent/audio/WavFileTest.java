package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class WavFileTest {

  private static byte[] ramp(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
    return b;
  }

  @ParameterizedTest
  @EnumSource(value = Encoding.class, names = {"PCM16_LE", "MULAW", "ALAW"})
  void roundTripsEachEncodingThroughAFile(Encoding encoding, @TempDir Path dir) {
    AudioFormat format = new AudioFormat(encoding, 8000, 1);
    byte[] data = ramp(format.bytesFor(100) + format.frameSize()); // odd length for the 8-bit encodings
    Path file = dir.resolve("a.wav");
    WavFile.write(file, format, data);
    WavFile.Audio audio = WavFile.read(file);
    assertEquals(format, audio.format());
    assertArrayEquals(data, audio.data());
  }

  @Test
  void bigEndianPcmIsStoredLittleEndian() {
    AudioFormat be = new AudioFormat(Encoding.PCM16_BE, 16000, 1);
    WavFile.Audio audio = WavFile.read(WavFile.toBytes(be, new byte[] {0x12, 0x34, (byte) 0xAB, (byte) 0xCD}));
    assertEquals(AudioFormat.PCM16_16K, audio.format());
    assertArrayEquals(new byte[] {0x34, 0x12, (byte) 0xCD, (byte) 0xAB}, audio.data());
  }

  @Test
  void writesTheCanonical44ByteHeaderForPcm() {
    byte[] wav = WavFile.toBytes(AudioFormat.PCM16_16K, new byte[320]);
    assertEquals(44 + 320, wav.length);
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(320, le32(wav, 40));
    assertEquals(32000, le32(wav, 28)); // byte rate
  }

  @Test
  void readsChunksInAnyOrderWithPaddingAndExtensibleFormat() {
    byte[] data = ramp(6);
    byte[] wav = riff(
        chunk("LIST", ramp(5)), // odd size, followed by a pad byte
        chunk("data", data),
        chunk("fmt ", extensibleFmt(7, 8000, 8)));
    WavFile.Audio audio = WavFile.read(wav);
    assertEquals(AudioFormat.MULAW_8K, audio.format());
    assertArrayEquals(data, audio.data());
  }

  @Test
  void streamingDataSizeMeansReadToTheEnd() {
    byte[] data = ramp(64);
    for (long size : new long[] {0, 0xFFFFFFFFL}) {
      byte[] wav = riff(chunk("fmt ", fmt(1, 16000, 1, 16)), chunk("data", data));
      put32(wav, wav.length - data.length - 4, size);
      WavFile.Audio audio = WavFile.read(wav);
      assertArrayEquals(data, audio.data(), "data size " + size);
    }
  }

  @Test
  void floatWavIsRejectedNamingWhatWasFoundAndWhatIsAccepted() {
    byte[] wav = riff(chunk("fmt ", fmt(3, 16000, 1, 32)), chunk("data", new byte[8]));
    AgentException e = assertThrows(AgentException.class, () -> WavFile.read(wav));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertEquals("audio", e.service());
    assertTrue(e.getMessage().contains("32-bit float PCM"), e.getMessage());
    assertTrue(e.getMessage().contains("16-bit PCM, μ-law or A-law WAV"), e.getMessage());
  }

  @Test
  void mp3AndExtensibleFloatAndEightBitPcmAreNamed() {
    assertMessage(riff(chunk("fmt ", fmt(0x55, 44100, 2, 0)), chunk("data", new byte[4])), "MP3 (format 0x55)");
    assertMessage(riff(chunk("fmt ", extensibleFmt(3, 48000, 32)), chunk("data", new byte[4])), "32-bit float PCM");
    assertMessage(riff(chunk("fmt ", fmt(1, 8000, 1, 8)), chunk("data", new byte[4])), "8-bit PCM");
  }

  @Test
  void garbageIsNotARiffWaveFile() {
    assertMessage("hello, this is not audio".getBytes(StandardCharsets.US_ASCII), "not a RIFF/WAVE file");
    assertMessage(new byte[3], "not a RIFF/WAVE file");
  }

  @Test
  void missingChunksAreReported() {
    assertMessage(riff(chunk("data", new byte[4])), "no fmt chunk");
    assertMessage(riff(chunk("fmt ", fmt(1, 8000, 1, 16))), "no data chunk");
  }

  @Test
  void missingFileIsNotFound(@TempDir Path dir) {
    AgentException e = assertThrows(AgentException.class, () -> WavFile.read(dir.resolve("none.wav")));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
  }

  private static void assertMessage(byte[] wav, String expected) {
    AgentException e = assertThrows(AgentException.class, () -> WavFile.read(wav));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static byte[] fmt(int tag, int rate, int channels, int bits) {
    byte[] f = new byte[16];
    put16(f, 0, tag);
    put16(f, 2, channels);
    put32(f, 4, rate);
    put32(f, 8, (long) rate * channels * bits / 8);
    put16(f, 12, channels * bits / 8);
    put16(f, 14, bits);
    return f;
  }

  private static byte[] extensibleFmt(int subFormat, int rate, int bits) {
    byte[] f = new byte[40];
    System.arraycopy(fmt(0xFFFE, rate, 1, bits), 0, f, 0, 16);
    put16(f, 16, 22);
    put16(f, 18, bits);
    put32(f, 20, 4);
    put16(f, 24, subFormat); // the rest of the GUID is the fixed KSDATAFORMAT suffix, unchecked
    return f;
  }

  private static byte[] chunk(String id, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    byte[] size = new byte[4];
    put32(size, 0, body.length);
    out.writeBytes(size);
    out.writeBytes(body);
    if (body.length % 2 == 1) out.write(0);
    return out.toByteArray();
  }

  private static byte[] riff(byte[]... chunks) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
    for (byte[] c : chunks) body.writeBytes(c);
    return chunk("RIFF", body.toByteArray());
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >> 8);
  }

  private static void put32(byte[] b, int off, long v) {
    put16(b, off, (int) v);
    put16(b, off + 2, (int) (v >> 16));
  }

  private static long le32(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (long) (b[off + 3] & 0xFF) << 24;
  }
}
