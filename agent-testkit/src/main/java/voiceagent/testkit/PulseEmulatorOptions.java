package voiceagent.testkit;

import voiceagent.audio.VadConfig;

/**
 * Settings of a {@link PulseEmulator}.
 *
 * <p>Thread contract: immutable.
 *
 * @param expectedApiKey        key the upgrade must carry as {@code Authorization: Bearer}, or {@code null} to accept
 *                              any request
 * @param latencyMillis         delay before each frame the emulator sends (transcription latency), 0 for none
 * @param vad                   how the emulator segments the audio into speech
 * @param partialIntervalMillis speech audio between two partials
 */
public record PulseEmulatorOptions(String expectedApiKey, long latencyMillis, VadConfig vad, int partialIntervalMillis) {

  public PulseEmulatorOptions {
    if (latencyMillis < 0) throw new IllegalArgumentException("latencyMillis=" + latencyMillis + " is negative");
    if (vad == null) throw new IllegalArgumentException("vad is required");
    if (partialIntervalMillis < 10) {
      throw new IllegalArgumentException("partialIntervalMillis=" + partialIntervalMillis + ": expected >= 10");
    }
  }

  /** No key check, no latency, the default VAD, a partial every 200 ms of speech. */
  public static PulseEmulatorOptions defaults() {
    return new PulseEmulatorOptions(null, 0, VadConfig.DEFAULTS, 200);
  }

  public PulseEmulatorOptions withExpectedApiKey(String key) {
    return new PulseEmulatorOptions(key, latencyMillis, vad, partialIntervalMillis);
  }

  public PulseEmulatorOptions withLatencyMillis(long millis) {
    return new PulseEmulatorOptions(expectedApiKey, millis, vad, partialIntervalMillis);
  }
}
