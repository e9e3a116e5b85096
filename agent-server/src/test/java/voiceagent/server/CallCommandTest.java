package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.audio.WavFile;
import voiceagent.samples.callcenter.WavCallTransport;

/**
 * The call command end to end on the emulators: two espeak-ng questions about the weather go in as caller turns; the
 * stereo recording is checked by its energy, 50 ms window by window (caller left, agent right).
 */
class CallCommandTest {
  private static final String Q1 = "What's the weather in Paris?";
  private static final String Q2 = "And the forecast for Tokyo tomorrow?";
  private static final int WINDOW_MILLIS = 50;
  /** Speech: well above the emulator's digital silence and the μ-law noise floor, below espeak and FreeTTS speech. */
  private static final double SPEECH_DBFS = -45;

  @TempDir static Path dir;
  private static Path q1;
  private static Path q2;

  /** A stretch of speech on one channel, in windows. */
  private record Span(int from, int to) {}

  @BeforeAll
  static void speak() throws Exception {
    q1 = espeak("q1.wav", Q1);
    q2 = espeak("q2.wav", Q2);
  }

  @Test
  void eachQuestionIsAnsweredWithSpeechOnTheAgentChannel() throws Exception {
    Path out = dir.resolve("conversation.wav");
    CommandRun run = run("--in", q1.toString(), "--in", q2.toString(), "--out", out.toString(), "--emulator",
        "--text", Q1, "--text", Q2, "--json");
    assertEquals(0, run.status(), run.err());

    List<JsonNode> lines = json(run.out());
    List<JsonNode> turns = lines.stream().filter(l -> l.path("event").asText().equals("turn")).toList();
    assertEquals(2, turns.size(), run.out());
    assertTrue(turns.get(0).path("agent").asText().contains("weather for Paris"), run.out());
    assertTrue(turns.get(1).path("agent").asText().contains("forecast for Tokyo"), run.out());
    for (JsonNode t : turns) {
      assertEquals(false, t.path("interrupted").asBoolean(), t.toString());
      assertTrue(t.path("total_ms").asLong() >= 0 && t.path("runtime_ms").asLong() >= 0, t.toString());
    }
    assertEquals("caller_hang_up", lines.getLast().path("reason").asText(), run.out());

    double[][] db = windows(out);
    List<Span> caller = spans(db[0]);
    assertEquals(2, caller.size(), "caller utterances " + caller);
    // The agent answers the first question before the second starts, and the second after it ended.
    assertTrue(speechIn(db[1], caller.get(0).to, caller.get(1).from) >= 20, "no answer to the first question");
    assertTrue(speechIn(db[1], caller.get(1).to, db[1].length) >= 20, "no answer to the second question");
    // Nobody talks over anybody: the agent is silent while the caller speaks.
    for (Span s : caller) assertEquals(0, speechIn(db[1], s.from, s.to + 1), "agent talked during " + s);
  }

  @Test
  void callerTalkingOverTheAgentSilencesItUntilTheQuestionIsAnswered() throws Exception {
    Path out = dir.resolve("barge-in.wav");
    CommandRun run = run("--in", q1.toString(), "--in", q2.toString(), "--out", out.toString(), "--emulator",
        "--text", Q1, "--text", Q2, "--barge-in-at", "1.0");
    assertEquals(0, run.status(), run.err());
    List<String> turns = run.out().lines().filter(l -> l.startsWith("turn ")).toList();
    assertEquals(2, turns.size(), run.out());
    assertTrue(turns.get(0).contains("interrupted: the caller talked over it, agent silent"), turns.get(0));
    assertTrue(turns.get(1).contains("forecast for Tokyo") && turns.get(1).contains("not interrupted"), turns.get(1));

    double[][] db = windows(out);
    List<Span> caller = spans(db[0]);
    assertEquals(2, caller.size(), "caller utterances " + caller);
    Span second = caller.get(1);
    int oneSecond = 1000 / WINDOW_MILLIS;
    // The agent was talking when the caller started, one second after its reply began.
    assertTrue(speechIn(db[1], second.from - oneSecond, second.from + 1) >= 5, "agent not speaking at the overlap");
    // Silent within a second of the caller's start, for as long as the caller speaks; then the answer.
    assertEquals(0, speechIn(db[1], second.from + oneSecond, second.to + 1), "agent went on talking over the caller");
    assertTrue(speechIn(db[1], second.to, db[1].length) >= 20, "no answer to the second question");
  }

  @Test
  void missingInputNamesTheFlagAndThePath() {
    Path missing = dir.resolve("nowhere.wav");
    CommandRun run = run("--in", missing.toString(), "--out", dir.resolve("x.wav").toString(), "--emulator");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("error: --in=" + missing + ": no such readable file; check the path"), run.err());
  }

  @Test
  void stereoInputIsRejectedWithWhatToGive() throws Exception {
    Path stereo = dir.resolve("stereo.wav");
    WavFile.write(stereo, WavCallTransport.RECORDING_FORMAT, new byte[3200]);
    CommandRun run = run("--in", stereo.toString(), "--out", dir.resolve("x.wav").toString(), "--emulator");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("--in=" + stereo) && run.err().contains("expected a mono WAV"), run.err());
  }

  @Test
  void withoutKeyOrEmulatorItSaysWhatToSet() {
    CommandRun run = run("--in", q1.toString(), "--out", dir.resolve("x.wav").toString());
    assertEquals(2, run.status());
    assertTrue(run.err().contains("SMALLEST_API_KEY is not set") && run.err().contains("--emulator"), run.err());
  }

  private static CommandRun run(String... args) {
    CallCommand command = new CallCommand();
    command.env = Map.of();
    return CommandRun.of(command, args);
  }

  private static Path espeak(String name, String text) throws Exception {
    Path wav = dir.resolve(name);
    Process p = new ProcessBuilder("espeak-ng", "-w", wav.toString(), text).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "espeak-ng failed");
    return wav;
  }

  private static List<JsonNode> json(String out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.lines().toList()) lines.add(new ObjectMapper().readTree(l));
    return lines;
  }

  /** The level of each 50 ms window, in dBFS, per channel ([0] caller, [1] agent). */
  private static double[][] windows(Path wav) {
    WavFile.Audio audio = WavFile.read(wav);
    assertEquals(WavCallTransport.RECORDING_FORMAT, audio.format());
    byte[] b = audio.data();
    int frames = b.length / 4;
    int per = 8 * WINDOW_MILLIS;
    double[][] db = new double[2][frames / per];
    for (int w = 0; w < frames / per; w++) {
      for (int ch = 0; ch < 2; ch++) {
        double sum = 0;
        for (int i = w * per; i < (w + 1) * per; i++) {
          int at = 4 * i + 2 * ch;
          short s = (short) ((b[at] & 0xFF) | (b[at + 1] << 8));
          sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / per);
        db[ch][w] = rms < 1 ? -120 : 20 * Math.log10(rms / 32768);
      }
    }
    return db;
  }

  /** Stretches of speech, pauses of up to 600 ms bridged (between the words of one utterance). */
  private static List<Span> spans(double[] db) {
    List<Span> spans = new ArrayList<>();
    int gap = 600 / WINDOW_MILLIS;
    int from = -1;
    int last = -1;
    for (int w = 0; w < db.length; w++) {
      if (db[w] < SPEECH_DBFS) continue;
      if (from >= 0 && w - last > gap) {
        spans.add(new Span(from, last));
        from = -1;
      }
      if (from < 0) from = w;
      last = w;
    }
    if (from >= 0) spans.add(new Span(from, last));
    return spans;
  }

  /** Windows of speech in {@code [from, to)}. */
  private static int speechIn(double[] db, int from, int to) {
    int n = 0;
    for (int w = Math.max(0, from); w < Math.min(db.length, to); w++) if (db[w] >= SPEECH_DBFS) n++;
    return n;
  }
}
