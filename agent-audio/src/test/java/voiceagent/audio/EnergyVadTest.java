package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class EnergyVadTest {
  private static final int RATE = 8000;
  private final List<String> events = new ArrayList<>();
  private final EnergyVad.Listener recorder = new EnergyVad.Listener() {
    @Override public void onSpeechStart(long sampleIndex) { events.add("start@" + sampleIndex); }
    @Override public void onSpeechEnd(long sampleIndex) { events.add("end@" + sampleIndex); }
  };

  /** A 440 Hz tone at {@code dbfs} (peak level; RMS is 3 dB lower) for {@code millis}. */
  private static short[] tone(double dbfs, int millis) {
    short[] s = new short[RATE * millis / 1000];
    double amplitude = 32767 * Math.pow(10, dbfs / 20);
    for (int i = 0; i < s.length; i++) s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * 440 * i / RATE));
    return s;
  }

  private static short[] silence(int millis) {
    return new short[RATE * millis / 1000];
  }

  @Test
  void toneBurstGivesOneStartAndOneEndAtItsEdges() {
    EnergyVad vad = new EnergyVad(VadConfig.DEFAULTS, RATE, recorder);
    vad.process(silence(500), 0, 4000);
    assertFalse(vad.isSpeaking());
    vad.process(tone(-10, 800), 0, 6400);
    assertTrue(vad.isSpeaking());
    vad.process(silence(1000), 0, 8000);
    assertFalse(vad.isSpeaking());
    // Start at the first sample of the tone (500 ms), end at the first sample of the silence (1300 ms).
    assertEquals(List.of("start@4000", "end@10400"), events);
  }

  @Test
  void shortClickAndShortPauseChangeNothing() {
    EnergyVad vad = new EnergyVad(VadConfig.DEFAULTS, RATE, recorder);
    vad.process(tone(-10, 30), 0, 240); // 30 ms < 60 ms start duration
    vad.process(silence(300), 0, 2400);
    assertEquals(List.of(), events);
    vad.process(tone(-10, 300), 0, 2400);
    vad.process(silence(200), 0, 1600); // a pause between words, < 400 ms stop duration
    vad.process(tone(-10, 300), 0, 2400);
    assertEquals(List.of("start@2640"), events);
    assertTrue(vad.isSpeaking());
  }

  @Test
  void levelBetweenThresholdsNeitherStartsNorStopsSpeech() {
    EnergyVad vad = new EnergyVad(VadConfig.DEFAULTS, RATE, recorder);
    vad.process(tone(-37, 1000), 0, 8000); // RMS -40 dBFS: below start (-35), above stop (-45)
    assertEquals(List.of(), events);
    vad.process(tone(-10, 100), 0, 800);
    vad.process(tone(-37, 1000), 0, 8000); // quieter, but not below the stop threshold: still speech
    assertEquals(List.of("start@8000"), events);
    assertTrue(vad.isSpeaking());
  }

  @Test
  void windowsSpanningCallsAreMeasuredWhole() {
    EnergyVad vad = new EnergyVad(VadConfig.DEFAULTS, RATE, recorder);
    short[] all = new short[16000];
    System.arraycopy(tone(-10, 500), 0, all, 4000, 4000);
    for (int off = 0; off < all.length; off += 33) vad.process(all, off, Math.min(33, all.length - off));
    assertEquals(List.of("start@4000", "end@8000"), events);
    assertEquals(16000, vad.samplesSeen());
  }

  @Test
  void configRejectsStopAboveStart() {
    AgentException e = assertThrows(AgentException.class, () -> new VadConfig(-40, -30, 60, 400));
    assertEquals(ErrorKind.CONFIG, e.kind());
    assertTrue(e.getMessage().contains("vad.stop_threshold_dbfs=-30.0"), e.getMessage());
    assertThrows(AgentException.class, () -> new VadConfig(3, -30, 60, 400));
  }
}
