package voiceagent.server.internal.serve;

import java.util.Arrays;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.MuLaw;

/** Caller audio for server tests: a loud tone (speech to every VAD) or silence, in the stream's format. */
final class CallerAudio {
  private CallerAudio() {}

  static byte[] speech(AudioFormat f, int millis) {
    int samples = f.sampleRate() * millis / 1000;
    boolean mulaw = f.encoding() == AudioFormat.Encoding.MULAW;
    byte[] b = new byte[mulaw ? samples : samples * 2];
    for (int i = 0; i < samples; i++) {
      short s = (short) (9000 * Math.sin(2 * Math.PI * 440 * i / f.sampleRate()));
      if (mulaw) {
        b[i] = MuLaw.encode(s);
      } else {
        b[2 * i] = (byte) s;
        b[2 * i + 1] = (byte) (s >> 8);
      }
    }
    return b;
  }

  static byte[] silence(AudioFormat f, int millis) {
    byte[] b = new byte[f.bytesFor(millis)];
    if (f.encoding() == AudioFormat.Encoding.MULAW) Arrays.fill(b, (byte) 0xFF);
    return b;
  }

  /**
   * 20 ms windows of {@code audio} (from byte {@code from}) whose tone is at least {@code minHz}: sign changes of
   * samples louder than silence, counted per window.
   */
  static int windowsAtOrAbove(AudioFormat f, byte[] audio, int from, int minHz) {
    boolean mulaw = f.encoding() == AudioFormat.Encoding.MULAW;
    int bytesPerSample = mulaw ? 1 : 2;
    int window = f.sampleRate() / 50;
    int count = 0;
    int samples = (audio.length - from) / bytesPerSample;
    for (int w = 0; w + window <= samples; w += window) {
      int crossings = 0;
      int lastSign = 0;
      for (int i = w; i < w + window; i++) {
        int at = from + i * bytesPerSample;
        int s = mulaw ? MuLaw.decode(audio[at]) : (short) ((audio[at] & 0xFF) | (audio[at + 1] << 8));
        if (Math.abs(s) < 500) continue;
        int sign = s > 0 ? 1 : -1;
        if (lastSign != 0 && sign != lastSign) crossings++;
        lastSign = sign;
      }
      // A tone of f Hz crosses zero 2f times a second: 2f/50 times per 20 ms window.
      if (crossings >= minHz / 25 - 4) count++;
    }
    return count;
  }

  /** An utterance: {@code speechMillis} of speech, then enough silence for the end of speech to be heard. */
  static byte[] utterance(AudioFormat f, int speechMillis) {
    byte[] s = speech(f, speechMillis);
    byte[] q = silence(f, 1000);
    byte[] all = Arrays.copyOf(s, s.length + q.length);
    System.arraycopy(q, 0, all, s.length, q.length);
    return all;
  }
}
