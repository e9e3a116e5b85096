package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;

class DemoCommandTest {

  private record Run(int status, String out, String err) {}

  /** Runs the demo in-process with an environment without a key, so it always runs offline. */
  private static Run run(String... args) {
    DemoCommand command = new DemoCommand();
    command.env = Map.of();
    CommandRun run = CommandRun.of(command, args);
    return new Run(run.status(), run.out(), run.err());
  }

  @Test
  void scriptedCallRunsOfflineWithTheWeatherTools() {
    Run run = run("--script");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("SMALLEST_API_KEY is not set; running offline"), run.err());
    assertTrue(run.out().startsWith("caller: Hi, what's the weather in Paris?\n"), run.out());
    // The answer quotes the offline table's row for Paris, so the tool ran and its result reached the model.
    assertTrue(run.out().contains("agent: Let me check the weather in Paris…\n"), run.out());
    assertTrue(run.out().contains("agent: Here is the weather for Paris: partly cloudy, "
        + "temperature 18 degrees Celsius, wind 12 km/h."), run.out());
    assertTrue(run.err().contains("→ get_weather {\"city\":\"Paris\"}"), run.err());
    assertTrue(run.err().contains("→ get_forecast {\"city\":\"Tokyo\",\"days\":2}"), run.err());
    assertTrue(run.out().contains("Tokyo: today clear, 14 to 22 degrees Celsius; tomorrow light rain"), run.out());
    // Goodbye is answered with a closing line and end_call, never an echo of the caller.
    assertTrue(run.out().contains("caller: Thanks, bye.\nagent: Thank you for calling. Goodbye!\n"), run.out());
    assertTrue(run.out().contains("summary: 3 turns, 3 tool calls, "), run.out());
  }

  @Test
  void jsonModePrintsOneObjectPerLineAndASummary() throws Exception {
    Run run = run("--json", "--say", "What's the weather in Atlantis?");
    assertEquals(0, run.status(), run.err());
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().split("\n")) lines.add(mapper.readTree(line));
    assertEquals("caller", lines.getFirst().get("event").asText());
    JsonNode call = lines.stream().filter(l -> l.get("event").asText().equals("tool_call")).findFirst().orElseThrow();
    assertEquals("get_weather", call.get("name").asText());
    assertEquals("Atlantis", call.get("arguments").get("city").asText());
    JsonNode result = lines.stream().filter(l -> l.get("event").asText().equals("tool_result")).findFirst()
        .orElseThrow();
    assertTrue(result.get("error").asBoolean(), "an unknown city is an error result");
    assertTrue(run.out().contains("city not found: Atlantis"), run.out());
    JsonNode summary = lines.getLast();
    assertEquals("summary", summary.get("event").asText());
    assertEquals(1, summary.get("turns").asInt());
    assertEquals(1, summary.get("tool_calls").asInt());
    assertTrue(summary.get("prompt_tokens").asInt() > 0, summary.toString());
    assertTrue(summary.get("cached_ratio").asDouble() > 0, "the second round reuses the first one's prefix");
  }

  @Test
  void audioOutWritesOneSpokenWavPerTurnAt24kHz(@TempDir Path dir) {
    Run run = run("--audio-out", dir.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("Electron and Lightning emulators"), run.err());
    for (int turn = 1; turn <= 3; turn++) {
      Path file = dir.resolve("turn-" + turn + ".wav");
      assertTrue(run.out().contains("audio: " + file + ", "), run.out());
      WavFile.Audio wav = WavFile.read(file);
      assertEquals(AudioFormat.PCM16_24K, wav.format());
      assertTrue(wav.durationMillis() > 1000, file + ": " + wav.durationMillis() + " ms");
      assertTrue(rms(wav.data()) > 300, file + " has speech energy: rms " + rms(wav.data()));
    }
  }

  private static double rms(byte[] pcm16) {
    ByteBuffer samples = ByteBuffer.wrap(pcm16).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    int n = pcm16.length / 2;
    for (int i = 0; i < n; i++) {
      double s = samples.getShort();
      sum += s * s;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }
}
