package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;

class SpeakCommandTest {

  private static int run(SpeakCommand command, ByteArrayOutputStream err, String... args) {
    CommandLine cli = VoiceAgentCommand.cli(command);
    cli.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    return cli.execute(args);
  }

  @Test
  void speaksOfflineIntoAWavAtTheRequestedRate(@TempDir Path dir) {
    Path out = dir.resolve("hello.wav");
    SpeakCommand command = new SpeakCommand();
    command.env = Map.of();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = run(command, err, "Hello from the emulator.", "--out", out.toString(), "--emulator",
        "--sample-rate", "8000");
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    WavFile.Audio wav = WavFile.read(out);
    assertEquals(AudioFormat.PCM16_8K, wav.format());
    assertTrue(wav.durationMillis() > 700 && wav.durationMillis() < 5000, "duration " + wav.durationMillis());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("first audio after"));
  }

  @Test
  void missingKeyIsAClearUsageError(@TempDir Path dir) {
    SpeakCommand command = new SpeakCommand();
    command.env = Map.of();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = run(command, err, "Hi.", "--out", dir.resolve("x.wav").toString());
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: SMALLEST_API_KEY: not set; "), err.toString());
    assertTrue(Files.notExists(dir.resolve("x.wav")));
  }

  @Test
  void refusedConnectionIsReportedAsConnectivity(@TempDir Path dir) {
    SpeakCommand command = new SpeakCommand();
    command.env = Map.of("SMALLEST_API_KEY", "k", "LIGHTNING_BASE_URL", "ws://127.0.0.1:1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = run(command, err, "Hi.", "--out", dir.resolve("x.wav").toString());
    assertEquals(1, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: lightning: "), err.toString());
    assertTrue(err.toString(StandardCharsets.UTF_8).strip().endsWith("; check the network and the base URL"),
        err.toString());
  }
}
