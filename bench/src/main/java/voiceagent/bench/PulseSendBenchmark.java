package voiceagent.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.PulseConfig;
import voiceagent.audio.internal.pulse.DefaultPulseStream;
import voiceagent.audio.internal.pulse.PulseConnector;
import voiceagent.testkit.ManualClock;

/**
 * Cost of one 20 ms caller frame (160 bytes of μ-law 8 kHz) through {@link DefaultPulseStream#sendAudio}: the batch,
 * the replay buffer and the binary frame every 100 ms (five operations). The socket is a stand-in that only reads
 * the sent buffer's length, so {@code -prof gc} shows the stream's own allocation per frame; the stand-in's
 * reflective call adds about 24 bytes per write, 5 bytes per operation.
 *
 * <p>Thread contract: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PulseSendBenchmark {
  private DefaultPulseStream stream;
  private byte[] frame;
  private long sentBytes;

  @Setup
  public void setUp() {
    PulseConfig config = PulseConfig.defaults().withTimings(1000, 100, 5, 1000, 5000, 0); // no pings
    WebSocket socket = (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(),
        new Class<?>[] {WebSocket.class}, (proxy, method, args) -> {
          if (method.getName().equals("writeBinaryMessage")) sentBytes += ((Buffer) args[0]).length();
          return null;
        });
    stream = new DefaultPulseStream(new PulseConnector(null, config), AudioFormat.MULAW_8K, event -> {},
        new ManualClock(), null, socket);
    frame = new byte[160];
    for (int i = 0; i < frame.length; i++) frame[i] = (byte) (i * 37);
  }

  /** One caller frame; every fifth completes a batch, which is sent and kept for replay. */
  @Benchmark
  public long sendFrame() {
    stream.sendAudio(frame, 0, frame.length);
    return sentBytes;
  }
}
