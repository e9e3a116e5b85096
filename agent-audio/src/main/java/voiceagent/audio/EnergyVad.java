package voiceagent.audio;

import java.util.Objects;
import voiceagent.common.AgentException;

/**
 * An energy voice-activity detector: it measures the RMS level of each 10 ms window of PCM16 audio and reports when
 * speech starts and ends, with the hysteresis of {@link VadConfig} (separate thresholds and minimum durations).
 *
 * <p>Sample indexes count every sample given to {@link #process} since construction. A start is reported at the first
 * sample of the loud run that started speech, an end at the first sample of the quiet run that ended it; both are
 * reported once the run has lasted long enough, so callbacks come {@code startMillis} / {@code stopMillis} late.
 * {@link #process} allocates nothing.
 *
 * <p>Thread contract: not thread-safe; confined to the thread (session loop) that feeds it.
 */
public final class EnergyVad {

  /** Receives speech transitions, on the thread that called {@link #process}. */
  public interface Listener {
    void onSpeechStart(long sampleIndex);

    void onSpeechEnd(long sampleIndex);
  }

  /** 10 ms: short enough for a precise start, long enough for a stable level at 8 kHz (80 samples). */
  private static final int WINDOW_MILLIS = 10;

  private final Listener listener;
  private final int windowSamples;
  /** Sum of squares at which a window reaches the start / stop threshold: compares without a logarithm. */
  private final double startEnergy;
  private final double stopEnergy;
  private final int startWindows;
  private final int stopWindows;

  private long samplesSeen;
  private int windowFill;
  private double windowEnergy;
  private boolean speaking;
  /** Consecutive windows that push towards a transition, and the sample where that run began. */
  private int runWindows;
  private long runStart;

  public EnergyVad(VadConfig config, int sampleRate, Listener listener) {
    Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (sampleRate < 1000) throw AgentException.config("vad.sample_rate", sampleRate, "expected at least 1000 Hz");
    this.windowSamples = sampleRate * WINDOW_MILLIS / 1000;
    double fullScale = 32768.0 * 32768.0 * windowSamples;
    this.startEnergy = fullScale * Math.pow(10, config.startThresholdDbfs() / 10);
    this.stopEnergy = fullScale * Math.pow(10, config.stopThresholdDbfs() / 10);
    this.startWindows = Math.max(1, ceilDiv(config.startMillis(), WINDOW_MILLIS));
    this.stopWindows = Math.max(1, ceilDiv(config.stopMillis(), WINDOW_MILLIS));
  }

  /** Feeds {@code len} samples from {@code samples[off..]}; may call the listener any number of times. */
  public void process(short[] samples, int off, int len) {
    Objects.checkFromIndexSize(off, len, samples.length);
    for (int i = off, end = off + len; i < end; i++) {
      double s = samples[i];
      windowEnergy += s * s;
      if (++windowFill == windowSamples) {
        long windowStart = samplesSeen + (i - off) + 1 - windowSamples;
        closeWindow(windowStart);
      }
    }
    samplesSeen += len;
  }

  private void closeWindow(long windowStart) {
    boolean towardsChange = speaking ? windowEnergy < stopEnergy : windowEnergy >= startEnergy;
    windowFill = 0;
    windowEnergy = 0;
    if (!towardsChange) {
      runWindows = 0;
      return;
    }
    if (runWindows++ == 0) runStart = windowStart;
    if (runWindows < (speaking ? stopWindows : startWindows)) return;
    runWindows = 0;
    speaking = !speaking;
    if (speaking) listener.onSpeechStart(runStart);
    else listener.onSpeechEnd(runStart);
  }

  /** Whether speech has started and not yet ended. */
  public boolean isSpeaking() {
    return speaking;
  }

  /** Samples processed so far. */
  public long samplesSeen() {
    return samplesSeen;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
