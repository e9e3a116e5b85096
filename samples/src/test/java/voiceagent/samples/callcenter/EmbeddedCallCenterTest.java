package voiceagent.samples.callcenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import voiceagent.audio.WavFile;

class EmbeddedCallCenterTest {

  @Test
  void answersAWeatherQuestionOfflineWithSpeechOnTheLine() throws Exception {
    String key = System.getenv("SMALLEST_API_KEY");
    assumeTrue(key == null || key.isBlank(), "with a key the example calls the real services");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      EmbeddedCallCenter.main(new String[] {"What's", "the", "weather", "in", "Berlin?"});
    } finally {
      System.setOut(previous);
    }
    // One line per piece of speech played; where the segmenter cuts is its own business, the words are the tool's.
    String spoken = String.join(" ", out.toString(StandardCharsets.UTF_8).strip().split("\n"));
    assertEquals("Let me check the weather in Berlin… Here is the weather for Berlin: cloudy, temperature "
        + "15 degrees Celsius, wind 17 km/h.", spoken);

    WavFile.Audio call = WavFile.read(Path.of(System.getProperty("java.io.tmpdir"), "call.wav"));
    assertEquals(WavCallTransport.RECORDING_FORMAT, call.format());
    long agentSamplesAboveNoise = 0;
    byte[] b = call.data();
    for (int i = 2; i + 1 < b.length; i += 4) {
      if (Math.abs((short) ((b[i] & 0xFF) | (b[i + 1] << 8))) > 1000) agentSamplesAboveNoise++;
    }
    // Several seconds of FreeTTS speech at 8 kHz: far more than a second of loud samples on the agent's channel.
    assertTrue(agentSamplesAboveNoise > 8000, "agent channel nearly silent: " + agentSamplesAboveNoise);
  }

  @Test
  void readmeEmbeddingSnippetIsThisSampleVerbatim() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Embedding");
    int from = readme.indexOf("```java\n", section) + "```java\n".length();
    String snippet = readme.substring(from, readme.indexOf("```\n", from));
    String source = Files.readString(Path.of("src/main/java/voiceagent/samples/callcenter/EmbeddedCallCenter.java"));
    String indented = snippet.lines().map(l -> l.isEmpty() ? l : "    " + l).collect(Collectors.joining("\n"));
    assertTrue(snippet.lines().count() > 10 && source.contains(indented), "README snippet differs from the sample");
  }
}
