package voiceagent.audio;

import voiceagent.common.AgentException;

/**
 * Settings of the {@link EnergyVad}: two loudness thresholds and two durations, so that speech must be loud for a
 * while to start and quiet for a while to end (hysteresis), and one noisy window or one short pause changes nothing.
 *
 * <p>Thread contract: immutable.
 *
 * @param startThresholdDbfs level (dBFS, RMS over a 10 ms window) at or above which a window counts as speech
 * @param stopThresholdDbfs  level below which a window counts as silence while speaking; at most the start threshold
 * @param startMillis        loud audio needed, without a break, before speech starts
 * @param stopMillis         quiet audio needed, without a break, before speech ends
 */
public record VadConfig(double startThresholdDbfs, double stopThresholdDbfs, int startMillis, int stopMillis) {

  /**
   * Defaults for telephone speech: -35 dBFS is well above line noise and below normal speech (-20..-10 dBFS); the
   * 10 dB gap keeps quiet syllables inside a segment; 60 ms rejects clicks; 400 ms bridges the pauses between words.
   */
  public static final VadConfig DEFAULTS = new VadConfig(-35, -45, 60, 400);

  public VadConfig {
    if (!(startThresholdDbfs <= 0)) { // also rejects NaN
      throw AgentException.config("vad.start_threshold_dbfs", startThresholdDbfs, "expected a level <= 0 dBFS");
    }
    if (!(stopThresholdDbfs <= startThresholdDbfs)) {
      throw AgentException.config("vad.stop_threshold_dbfs", stopThresholdDbfs,
          "must not be above vad.start_threshold_dbfs=" + startThresholdDbfs);
    }
    if (startMillis < 0 || startMillis > 10_000) {
      throw AgentException.config("vad.start_millis", startMillis, "expected 0..10000");
    }
    if (stopMillis < 0 || stopMillis > 10_000) {
      throw AgentException.config("vad.stop_millis", stopMillis, "expected 0..10000");
    }
  }

  public VadConfig withStopMillis(int millis) {
    return new VadConfig(startThresholdDbfs, stopThresholdDbfs, startMillis, millis);
  }
}
