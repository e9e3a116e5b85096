package voiceagent.testkit;

import voiceagent.common.Clock;
import voiceagent.common.VertxClock;

/**
 * How a {@link LightningEmulator} behaves.
 *
 * <p>Thread contract: immutable.
 *
 * @param apiKey             the Bearer key every request must carry (401 otherwise); {@code null} accepts any
 * @param synthesizer        the offline voice
 * @param clock              drives pacing, {@code complete_backoff_ms} and the idle timeout (a
 *                           {@code ManualClock} scripts them in tests)
 * @param chunkBytes         PCM bytes per {@code chunk} frame before base64 (even)
 * @param realTimeFactor     audio seconds sent per clock second (Lightning documents 3.3); 0 sends as fast as
 *                           possible, without timers
 * @param idleTimeoutSeconds idle close when the client gives no {@code ?timeout=}; the service default is 60
 */
public record LightningEmulatorOptions(String apiKey, SpeechSynthesizer synthesizer, Clock clock, int chunkBytes,
    double realTimeFactor, int idleTimeoutSeconds) {

  public LightningEmulatorOptions {
    if (synthesizer == null || clock == null) throw new IllegalArgumentException("synthesizer and clock are required");
    if (chunkBytes < 2 || (chunkBytes & 1) != 0) throw new IllegalArgumentException("chunkBytes=" + chunkBytes);
    if (realTimeFactor < 0) throw new IllegalArgumentException("realTimeFactor=" + realTimeFactor);
    if (idleTimeoutSeconds <= 0) throw new IllegalArgumentException("idleTimeoutSeconds=" + idleTimeoutSeconds);
  }

  /** FreeTTS, real timers, 4 KiB chunks at 3.3× real time, 60 s idle timeout, any key. */
  public static LightningEmulatorOptions defaults() {
    return new LightningEmulatorOptions(null, FreeTtsSynthesizer.shared(), VertxClock.INSTANCE, 4096, 3.3, 60);
  }

  public LightningEmulatorOptions withApiKey(String key) {
    return new LightningEmulatorOptions(key, synthesizer, clock, chunkBytes, realTimeFactor, idleTimeoutSeconds);
  }

  public LightningEmulatorOptions withSynthesizer(SpeechSynthesizer s) {
    return new LightningEmulatorOptions(apiKey, s, clock, chunkBytes, realTimeFactor, idleTimeoutSeconds);
  }

  public LightningEmulatorOptions withClock(Clock c) {
    return new LightningEmulatorOptions(apiKey, synthesizer, c, chunkBytes, realTimeFactor, idleTimeoutSeconds);
  }

  public LightningEmulatorOptions withChunkBytes(int bytes) {
    return new LightningEmulatorOptions(apiKey, synthesizer, clock, bytes, realTimeFactor, idleTimeoutSeconds);
  }

  public LightningEmulatorOptions withRealTimeFactor(double factor) {
    return new LightningEmulatorOptions(apiKey, synthesizer, clock, chunkBytes, factor, idleTimeoutSeconds);
  }

  public LightningEmulatorOptions withIdleTimeoutSeconds(int seconds) {
    return new LightningEmulatorOptions(apiKey, synthesizer, clock, chunkBytes, realTimeFactor, seconds);
  }
}
