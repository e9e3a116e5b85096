package voiceagent.core.internal.session;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import voiceagent.audio.AudioFormat;

/**
 * Cost of {@link AudioPaths#toTransport} for one Lightning chunk (4,096 PCM16 bytes at 8 kHz) to a μ-law 8 kHz
 * call: the table encode the session runs on every chunk. It lives in the session's package to reach the
 * package-private class. Run with {@code -prof gc} for bytes per chunk.
 *
 * <p>Thread contract: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportEncodeBenchmark {
  private AudioPaths paths;
  private byte[] chunk;

  @Setup
  public void setUp() {
    paths = new AudioPaths(AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
    chunk = new byte[4096];
  }

  /** One chunk's array encoded to μ-law, as the speaker does with each {@code AudioChunk} it owns. */
  @Benchmark
  public byte[] chunkToMulaw() {
    return paths.toTransport(chunk, chunk.length, true);
  }
}
