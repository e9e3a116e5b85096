package voiceagent.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import voiceagent.audio.AudioConverter;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.Resampler;

/**
 * Cost of the per-frame audio work of one call leg: each operation converts or resamples one 20 ms frame, so
 * {@code ops/s × 0.020} is the real-time factor per core (seconds of audio processed per second of CPU). A real-time
 * factor of 2,000 means one core keeps up with 2,000 concurrent streams of that conversion.
 *
 * <p>Thread contract: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AudioCodecBenchmark {
  /** Frame length of carrier media streams; the unit of one benchmark operation. */
  static final int FRAME_MILLIS = 20;

  private AudioConverter muLawToPcm16k;
  private AudioConverter pcm16kToMuLaw;
  private Resampler down48kTo8k;
  private Resampler up8kTo24k;

  private byte[] muLawFrame;
  private byte[] pcm16kFrame;
  private short[] pcm48kFrame;
  private short[] pcm8kFrame;

  private byte[] bytesOut;
  private short[] samplesOut;

  @Setup
  public void setUp() {
    muLawToPcm16k = AudioConverter.create(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K);
    pcm16kToMuLaw = AudioConverter.create(AudioFormat.PCM16_16K, AudioFormat.MULAW_8K);
    down48kTo8k = Resampler.create(48000, 8000);
    up8kTo24k = Resampler.create(8000, 24000);

    short[] tone8k = tone(8000);
    short[] tone16k = tone(16000);
    pcm48kFrame = tone(48000);
    pcm8kFrame = tone8k;
    muLawFrame = new byte[tone8k.length];
    AudioConverter.create(AudioFormat.PCM16_8K, AudioFormat.MULAW_8K)
        .convert(littleEndian(tone8k), 0, tone8k.length * 2, muLawFrame, 0);
    pcm16kFrame = littleEndian(tone16k);

    bytesOut = new byte[Math.max(muLawToPcm16k.maxOutputBytes(muLawFrame.length),
        pcm16kToMuLaw.maxOutputBytes(pcm16kFrame.length))];
    samplesOut = new short[Math.max(down48kTo8k.maxOutput(pcm48kFrame.length),
        up8kTo24k.maxOutput(pcm8kFrame.length))];
  }

  /** One 20 ms frame of a 440 Hz tone at half scale. */
  private static short[] tone(int rate) {
    short[] s = new short[rate * FRAME_MILLIS / 1000];
    for (int i = 0; i < s.length; i++) s[i] = (short) (16000 * Math.sin(2 * Math.PI * 440 * i / rate));
    return s;
  }

  private static byte[] littleEndian(short[] s) {
    byte[] b = new byte[s.length * 2];
    for (int i = 0; i < s.length; i++) {
      b[2 * i] = (byte) s[i];
      b[2 * i + 1] = (byte) (s[i] >> 8);
    }
    return b;
  }

  /** Caller audio from a carrier (μ-law 8 kHz) to Pulse at 16 kHz. */
  @Benchmark
  public int decodeMuLaw8kToPcm16k() {
    return muLawToPcm16k.convert(muLawFrame, 0, muLawFrame.length, bytesOut, 0);
  }

  /** Agent audio at 16 kHz to a carrier (μ-law 8 kHz). */
  @Benchmark
  public int encodePcm16kToMuLaw8k() {
    return pcm16kToMuLaw.convert(pcm16kFrame, 0, pcm16kFrame.length, bytesOut, 0);
  }

  /** Browser microphone audio (48 kHz) down to telephone rate. */
  @Benchmark
  public int resample48kTo8k() {
    return down48kTo8k.process(pcm48kFrame, 0, pcm48kFrame.length, samplesOut, 0);
  }

  /** Telephone audio up to a 24 kHz TTS or browser rate. */
  @Benchmark
  public int resample8kTo24k() {
    return up8kTo24k.process(pcm8kFrame, 0, pcm8kFrame.length, samplesOut, 0);
  }
}
