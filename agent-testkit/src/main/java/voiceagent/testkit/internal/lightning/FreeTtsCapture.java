package voiceagent.testkit.internal.lightning;

import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * A FreeTTS audio player that keeps the samples instead of playing them, plus the word spans of each utterance.
 * FreeTTS writes audio from its own output thread while utterance processors run on the caller: the two lists are
 * matched by utterance index, and each utterance's words are offset by the bytes written before its {@code begin}.
 *
 * <p>Thread contract: thread-safe (FreeTTS's output thread and the synthesizing thread meet here).
 */
public final class FreeTtsCapture implements AudioPlayer {
  private AudioFormat format; // guarded by this
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream(); // guarded by this, big-endian as written
  private final List<List<SpeechSynthesizer.Word>> utterances = new ArrayList<>(); // guarded by this
  private final List<Integer> utteranceStarts = new ArrayList<>(); // byte offsets; guarded by this

  public synchronized void clear() {
    audio.reset();
    utterances.clear();
    utteranceStarts.clear();
  }

  public synchronized void addUtterance(List<SpeechSynthesizer.Word> words) {
    utterances.add(words);
  }

  /** Little-endian PCM and word spans of everything spoken since {@link #clear()}. */
  public synchronized SpeechSynthesizer.Synthesized result() {
    byte[] be = audio.toByteArray();
    boolean bigEndian = format == null || format.isBigEndian();
    byte[] le = new byte[be.length & ~1];
    for (int i = 0; i + 1 < be.length; i += 2) {
      le[i] = bigEndian ? be[i + 1] : be[i];
      le[i + 1] = bigEndian ? be[i] : be[i + 1];
    }
    int rate = format == null ? 16_000 : (int) format.getSampleRate();
    List<SpeechSynthesizer.Word> words = new ArrayList<>();
    for (int u = 0; u < utterances.size() && u < utteranceStarts.size(); u++) {
      double offset = utteranceStarts.get(u) / 2.0 / rate;
      for (SpeechSynthesizer.Word w : utterances.get(u)) {
        words.add(new SpeechSynthesizer.Word(w.word(), offset + w.start(), offset + w.end()));
      }
    }
    return new SpeechSynthesizer.Synthesized(le, rate, words);
  }

  @Override public synchronized void setAudioFormat(AudioFormat f) { format = f; }
  @Override public synchronized AudioFormat getAudioFormat() { return format; }
  @Override public synchronized void begin(int size) { utteranceStarts.add(audio.size()); }
  @Override public synchronized boolean write(byte[] b) { return write(b, 0, b.length); }
  @Override public synchronized boolean write(byte[] b, int off, int len) { audio.write(b, off, len); return true; }
  @Override public boolean end() { return true; }
  @Override public boolean drain() { return true; }
  @Override public void pause() {}
  @Override public void resume() {}
  @Override public void reset() {}
  @Override public void cancel() {}
  @Override public void close() {}
  @Override public float getVolume() { return 1f; }
  @Override public void setVolume(float volume) {}
  @Override public long getTime() { return 0; }
  @Override public void resetTime() {}
  @Override public void startFirstSampleTimer() {}
  @Override public void showMetrics() {}
}
