package voiceagent.core.session;

import java.util.ArrayList;
import java.util.List;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * A deterministic voice for the Lightning emulator: each word is 200 ms of tone followed by 50 ms of silence, at
 * 8 kHz, so word {@code i} is spoken from {@code 0.25 i} to {@code 0.25 i + 0.2} seconds and tests can compute what a
 * caller heard after any playback time.
 */
final class ToneVoice implements SpeechSynthesizer {
  static final int RATE = 8000;
  static final double WORD = 0.2;
  static final double GAP = 0.05;

  @Override
  public Synthesized synthesize(String text) {
    String[] words = text.isBlank() ? new String[0] : text.strip().split("\\s+");
    int wordSamples = (int) (RATE * WORD);
    int gapSamples = (int) (RATE * GAP);
    byte[] pcm = new byte[words.length * (wordSamples + gapSamples) * 2];
    List<Word> times = new ArrayList<>();
    for (int w = 0; w < words.length; w++) {
      int base = w * (wordSamples + gapSamples);
      double freq = 300 + 40 * (w % 7);
      for (int i = 0; i < wordSamples; i++) {
        short s = (short) (8000 * Math.sin(2 * Math.PI * freq * i / RATE));
        pcm[2 * (base + i)] = (byte) s;
        pcm[2 * (base + i) + 1] = (byte) (s >> 8);
      }
      double start = (double) base / RATE;
      times.add(new Word(words[w], start, start + WORD));
    }
    return new Synthesized(pcm, RATE, times);
  }

  /** Seconds of audio for {@code words} words. */
  static double seconds(int words) {
    return words * (WORD + GAP);
  }
}
