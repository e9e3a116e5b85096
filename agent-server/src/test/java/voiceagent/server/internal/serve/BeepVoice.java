package voiceagent.server.internal.serve;

import java.util.ArrayList;
import java.util.List;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * A fast, deterministic voice for the Lightning emulator: each word is 100 ms of tone and 20 ms of silence at 8 kHz,
 * so server tests hear agent speech without waiting for FreeTTS. Words starting with "z" are a high tone
 * ({@link #HIGH_HZ}), all others a low one ({@link #LOW_HZ}), so a test can tell which reply a caller heard.
 */
final class BeepVoice implements SpeechSynthesizer {
  private static final int RATE = 8000;
  private static final int WORD_SAMPLES = 800;
  private static final int GAP_SAMPLES = 160;
  static final int LOW_HZ = 500;
  static final int HIGH_HZ = 1500;

  @Override
  public Synthesized synthesize(String text) {
    String[] words = text.isBlank() ? new String[0] : text.strip().split("\\s+");
    byte[] pcm = new byte[words.length * (WORD_SAMPLES + GAP_SAMPLES) * 2];
    List<Word> times = new ArrayList<>();
    for (int w = 0; w < words.length; w++) {
      int base = w * (WORD_SAMPLES + GAP_SAMPLES);
      int hz = words[w].toLowerCase(java.util.Locale.ROOT).startsWith("z") ? HIGH_HZ : LOW_HZ;
      for (int i = 0; i < WORD_SAMPLES; i++) {
        short s = (short) (6000 * Math.sin(2 * Math.PI * hz * i / RATE));
        pcm[2 * (base + i)] = (byte) s;
        pcm[2 * (base + i) + 1] = (byte) (s >> 8);
      }
      double start = (double) base / RATE;
      times.add(new Word(words[w], start, start + (double) WORD_SAMPLES / RATE));
    }
    return new Synthesized(pcm, RATE, times);
  }
}
