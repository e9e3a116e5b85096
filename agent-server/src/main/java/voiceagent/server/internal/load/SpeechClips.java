package voiceagent.server.internal.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import voiceagent.audio.AudioConverter;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.MuLaw;
import voiceagent.audio.WavFile;
import voiceagent.testkit.carrier.CallerFrame;

/**
 * The synthetic callers' lines: espeak-ng utterances rendered once to WAV, converted to the stream's μ-law 8 kHz and
 * cut into 20 ms frames whose base64 is computed once and shared by every caller. Leading and trailing silence is
 * cut: a clip ends with its last voiced frame, which is the caller's end of speech; the driver sends silence after
 * it, as a phone line does.
 *
 * <p>Thread contract: immutable once built.
 */
final class SpeechClips {
  /** A caller's side of the weather conversation, cycled. */
  static final List<String> LINES = List.of("What is the weather in Paris today?", "And the forecast for tomorrow?",
      "How about London?", "What is the weather in Tokyo?");

  static final int FRAME_BYTES = 160; // 20 ms of μ-law 8 kHz
  /** Mean absolute sample above which a frame counts as speech (espeak-ng's pauses are digital silence). */
  private static final int VOICED_LEVEL = 300;

  /** One line: its frames, all voiced-bounded. */
  record Clip(String text, CallerFrame[] frames) {}

  private final List<Clip> clips;
  private final CallerFrame silence;

  private SpeechClips(List<Clip> clips) {
    this.clips = clips;
    byte[] quiet = new byte[FRAME_BYTES];
    Arrays.fill(quiet, MuLaw.encode((short) 0));
    this.silence = CallerFrame.of(quiet);
  }

  /** Speaks {@link #LINES} with espeak-ng in {@code dir}; fails with a clear message when espeak-ng is missing. */
  static SpeechClips render(Path dir) throws IOException, InterruptedException {
    List<Clip> clips = new ArrayList<>();
    for (String line : LINES) clips.add(new Clip(line, frames(speak(dir, line))));
    return new SpeechClips(clips);
  }

  Clip clip(int n) {
    return clips.get(Math.floorMod(n, clips.size()));
  }

  CallerFrame silence() {
    return silence;
  }

  private static byte[] speak(Path dir, String text) throws IOException, InterruptedException {
    Path wav = Files.createTempFile(dir, "caller", ".wav");
    Process p;
    try {
      p = new ProcessBuilder("espeak-ng", "-w", wav.toString(), text).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("espeak-ng is not installed (scripts/ensure-test-tools.sh installs it): " + e.getMessage());
    }
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("espeak-ng failed on \"" + text + "\": " + new String(output));
    }
    WavFile.Audio audio = WavFile.read(wav);
    Files.deleteIfExists(wav);
    AudioConverter converter = AudioConverter.create(audio.format(), AudioFormat.MULAW_8K);
    byte[] out = new byte[converter.maxOutputBytes(audio.data().length)];
    return Arrays.copyOf(out, converter.convert(audio.data(), 0, audio.data().length, out, 0));
  }

  /** 20 ms frames from the first voiced frame to the last. */
  private static CallerFrame[] frames(byte[] mulaw) {
    int count = mulaw.length / FRAME_BYTES;
    int first = -1;
    int last = -1;
    for (int i = 0; i < count; i++) {
      if (voiced(mulaw, i * FRAME_BYTES)) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) throw new IllegalStateException("espeak-ng produced no speech");
    CallerFrame[] frames = new CallerFrame[last - first + 1];
    for (int i = first; i <= last; i++) {
      frames[i - first] = CallerFrame.of(Arrays.copyOfRange(mulaw, i * FRAME_BYTES, (i + 1) * FRAME_BYTES));
    }
    return frames;
  }

  private static boolean voiced(byte[] mulaw, int off) {
    long sum = 0;
    for (int i = off; i < off + FRAME_BYTES; i++) sum += Math.abs(MuLaw.decode(mulaw[i]));
    return sum / FRAME_BYTES > VOICED_LEVEL;
  }
}
