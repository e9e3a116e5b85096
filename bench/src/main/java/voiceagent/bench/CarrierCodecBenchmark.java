package voiceagent.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierCodec;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.WireMessage;

/**
 * Cost of the carrier codec on the per-frame hot path: one Twilio {@code media} message (20 ms of μ-law, 160 bytes,
 * 216 base64 characters) decoded from the socket's UTF-8 bytes, and one encoded for the agent's audio. Run with
 * {@code -prof gc} to see the bytes allocated per operation.
 *
 * <p>Thread contract: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CarrierCodecBenchmark {
  private CarrierCodec codec;
  private byte[] inbound;
  private byte[] audio;

  @Setup
  public void setUp() {
    codec = Carrier.TWILIO.newCodec();
    codec.decodeText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\","
        + "\"start\":{\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\",\"accountSid\":\"AC00\",\"callSid\":\"CA00\","
        + "\"tracks\":[\"inbound\"],\"customParameters\":{},\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\","
        + "\"sampleRate\":8000,\"channels\":1}}}");
    audio = new byte[160];
    for (int i = 0; i < audio.length; i++) audio[i] = (byte) (i * 37);
    inbound = ("{\"event\":\"media\",\"sequenceNumber\":\"42\",\"media\":{\"track\":\"inbound\",\"chunk\":\"41\","
        + "\"timestamp\":\"820\",\"payload\":\"" + Base64.getEncoder().encodeToString(audio) + "\"},"
        + "\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** Inbound: UTF-8 JSON → {@link CarrierEvent.Media} with the decoded μ-law in the codec's reused buffer. */
  @Benchmark
  public CarrierEvent decodeMedia() {
    return codec.decodeText(inbound, 0, inbound.length);
  }

  /** Outbound: 160 bytes of μ-law → the media message in the codec's reused buffer. */
  @Benchmark
  public int encodeMedia() {
    return codec.media(audio, 0, audio.length).length();
  }

  /** One frame each way: what a call costs the codec every 20 ms. */
  @Benchmark
  public int decodeAndEncode() {
    CarrierEvent.Media in = (CarrierEvent.Media) codec.decodeText(inbound, 0, inbound.length);
    WireMessage out = codec.media(in.data(), 0, in.length());
    return out.length();
  }
}
