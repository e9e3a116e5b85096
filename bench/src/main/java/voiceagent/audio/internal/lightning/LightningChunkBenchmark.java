package voiceagent.audio.internal.lightning;

import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one Lightning WebSocket {@code chunk} frame (4,096 PCM16 bytes, 256 ms at 8 kHz, as the emulator sends)
 * from the socket's text to the even-length PCM the synthesis emits: frame read, base64 decode, {@link PcmCarry}. It
 * lives in the client's package to reach those package-private steps. Run with {@code -prof gc} for bytes per chunk.
 *
 * <p>Thread contract: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LightningChunkBenchmark {
  private String frame;
  private PcmCarry carry;

  @Setup
  public void setUp() {
    byte[] pcm = new byte[4096];
    for (int i = 0; i < pcm.length; i++) pcm[i] = (byte) (i * 37);
    frame = "{\"status\":\"chunk\",\"request_id\":\"srv-1\",\"external_request_id\":\"t1-g1-s1\",\"data\":{\"audio\":\""
        + Base64.getEncoder().encodeToString(pcm) + "\"}}";
    carry = new PcmCarry();
  }

  /** One chunk frame to the PCM of its {@code AudioChunk}. */
  @Benchmark
  public byte[] chunkToPcm() {
    return carry.push(LightningWire.chunk(frame).audio());
  }
}
