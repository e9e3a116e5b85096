package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;

/** The transcribe command end to end: espeak-ng speech in a WAV file through the in-process Pulse emulator. */
class TranscribeCommandTest {
  @TempDir static Path dir;
  private static Path speech;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void speak() throws Exception {
    speech = dir.resolve("hello.wav");
    Process p = new ProcessBuilder("espeak-ng", "-w", speech.toString(), "hello from the command line")
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "espeak-ng failed");
  }

  private int run(Map<String, String> env, String... args) {
    TranscribeCommand command = new TranscribeCommand();
    command.env = env;
    CommandLine cli = VoiceAgentCommand.cli(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void emulatorWithHintPrintsPartialsThenTheFinal() {
    int status = run(Map.of(), speech.toString(), "--emulator", "--speed", "0", "--hint", "hello from the command line");
    assertEquals(0, status, err.toString());
    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.get(0).startsWith("speech started at "), lines.toString());
    assertTrue(lines.contains("partial: hello"), lines.toString());
    assertTrue(lines.contains("final: hello from the command line"), lines.toString());
    assertTrue(lines.indexOf("partial: hello") < lines.indexOf("final: hello from the command line"));
  }

  @Test
  void jsonOutputWithoutHintGivesTheSegmentLength() throws Exception {
    int status = run(Map.of(), speech.toString(), "--emulator", "--speed", "0", "--json");
    assertEquals(0, status, err.toString());
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.toString().lines().toList()) events.add(new ObjectMapper().readTree(line));
    assertEquals("speech_started", events.get(0).path("event").asText());
    JsonNode fin = events.stream().filter(e -> e.path("event").asText().equals("final")).findFirst().orElseThrow();
    assertTrue(fin.path("text").asText().matches("\\[speech \\d+\\.\\d s]"), fin.toString());
    assertEquals(3, fin.path("words").size()); // "[speech", "1.8", "s]"
    assertEquals("closed", events.get(events.size() - 1).path("event").asText());
    assertEquals(1000, events.get(events.size() - 1).path("code").asInt());
  }

  @Test
  void missingKeyNamesTheVariable() {
    assertEquals(2, run(Map.of(), speech.toString()));
    assertTrue(err.toString().startsWith("error: SMALLEST_API_KEY: not set; export SMALLEST_API_KEY="), err.toString());
  }

  @Test
  void wrongFormatSaysWhatWasFoundAndWhatIsAccepted() throws Exception {
    Path eightBit = dir.resolve("eight-bit.wav");
    Process p = new ProcessBuilder("sox", speech.toString(), "-b", "8", "-e", "unsigned-integer", eightBit.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "sox failed");
    assertEquals(2, run(Map.of(), eightBit.toString(), "--emulator"));
    assertTrue(err.toString().contains("found 8-bit PCM"), err.toString());
    assertTrue(err.toString().contains("expected a 16-bit PCM, μ-law or A-law WAV"), err.toString());
    Path text = Files.writeString(dir.resolve("notes.wav"), "not audio");
    assertEquals(2, run(Map.of(), text.toString(), "--emulator"));
    assertTrue(err.toString().contains("not a RIFF/WAVE file"), err.toString());
  }

  @Test
  void closedSocketIsReportedClearly() {
    int status = run(Map.of("PULSE_BASE_URL", "ws://127.0.0.1:1", "SMALLEST_API_KEY", "sk_x"), speech.toString(),
        "--speed", "0");
    assertEquals(1, status);
    assertTrue(err.toString().startsWith("error: pulse: cannot connect to 127.0.0.1:1/waves/v1/stt/live"),
        err.toString());
    assertTrue(err.toString().strip().endsWith("; check the network and the base URL"), err.toString());
    assertTrue(!err.toString().contains("sk_x"));
  }

  @Test
  void silenceSaysNoSpeechDetectedAndALongFileShowsItsProgressOnStderrOnly() throws Exception {
    Path silence = dir.resolve("silence.wav");
    int seconds = (int) (TranscribeCommand.PROGRESS_FROM_MILLIS / 1000) + 1;
    WavFile.write(silence, AudioFormat.PCM16_16K, new byte[AudioFormat.PCM16_16K.bytesFor(seconds * 1000)]);

    int status = run(Map.of(), silence.toString(), "--emulator", "--speed", "0", "--json");

    assertEquals(0, status, err.toString());
    List<String> errLines = err.toString().lines().toList();
    assertEquals("no speech detected in " + silence + " (" + seconds + ".0 s of audio)", errLines.getLast());
    List<String> progress = errLines.stream().filter(l -> l.startsWith("progress: ")).toList();
    assertEquals(10, progress.size(), errLines.toString());
    assertEquals("progress: " + seconds + ".0 s of " + seconds + ".0 s sent (100%)", progress.getLast());
    assertTrue(out.toString().lines().noneMatch(l -> l.contains("progress") || l.contains("no speech")), out.toString());
  }

  @Test
  void aShortFileWithSpeechShowsNeitherProgressNorNoSpeech() {
    assertEquals(0, run(Map.of(), speech.toString(), "--emulator", "--speed", "0", "--hint", "hello"), err.toString());
    assertTrue(err.toString().isEmpty(), err.toString());
  }
}
