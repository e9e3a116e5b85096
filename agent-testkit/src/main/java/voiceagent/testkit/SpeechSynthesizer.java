package voiceagent.testkit;

import java.util.List;

/**
 * Turns text into speech for the {@link LightningEmulator}: the seam that lets a test swap {@link FreeTtsSynthesizer}
 * for another offline voice.
 *
 * <p>Thread contract: implementations are thread-safe; {@link #synthesize} may block, so callers run it on a worker
 * or virtual thread, never on an event loop.
 */
@FunctionalInterface
public interface SpeechSynthesizer {

  /** Speaks {@code text}; blank or unspeakable text gives empty audio. */
  Synthesized synthesize(String text);

  /**
   * Speech as signed 16-bit little-endian mono PCM, with the time span of each input word.
   *
   * @param words in order; times in seconds from the start of {@code pcm16}
   */
  record Synthesized(byte[] pcm16, int sampleRate, List<Word> words) {
    public Synthesized {
      words = List.copyOf(words);
    }

    public double durationSeconds() {
      return pcm16.length / 2.0 / sampleRate;
    }
  }

  /** One word of the input text as written, and when it is spoken. */
  record Word(String word, double start, double end) {}
}
