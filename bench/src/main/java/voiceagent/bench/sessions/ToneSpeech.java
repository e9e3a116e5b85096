package voiceagent.bench.sessions;

import java.util.ArrayList;
import java.util.List;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * A voice that costs nothing to render, for the Lightning emulator of the benchmark: each word is 200 ms of one
 * precomputed tone and 50 ms of silence at 8 kHz, with word timestamps, so the emulator's CPU goes to the protocol.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
final class ToneSpeech implements SpeechSynthesizer {
  private static final int RATE = 8000;
  private static final int WORD = RATE / 5;
  private static final int GAP = RATE / 20;
  private static final byte[] TONE = tone();

  @Override
  public Synthesized synthesize(String text) {
    String[] words = text.isBlank() ? new String[0] : text.strip().split("\\s+");
    byte[] pcm = new byte[words.length * (WORD + GAP) * 2];
    List<Word> times = new ArrayList<>(words.length);
    for (int w = 0; w < words.length; w++) {
      int base = w * (WORD + GAP);
      System.arraycopy(TONE, 0, pcm, 2 * base, TONE.length);
      times.add(new Word(words[w], (double) base / RATE, (double) (base + WORD) / RATE));
    }
    return new Synthesized(pcm, RATE, times);
  }

  private static byte[] tone() {
    byte[] b = new byte[WORD * 2];
    for (int i = 0; i < WORD; i++) {
      short s = (short) (6000 * Math.sin(2 * Math.PI * 350 * i / RATE));
      b[2 * i] = (byte) s;
      b[2 * i + 1] = (byte) (s >> 8);
    }
    return b;
  }
}
