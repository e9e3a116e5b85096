package voiceagent.samples.callcenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmbeddedCallCenterTest {

  @Test
  void answersAWeatherQuestionOfflineFromTheTable() {
    String key = System.getenv("SMALLEST_API_KEY");
    assumeTrue(key == null || key.isBlank(), "with a key the example calls the real service");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      EmbeddedCallCenter.main(new String[] {"What's", "the", "weather", "in", "Berlin?"});
    } finally {
      System.setOut(previous);
    }
    // One line per speech segment; where the segmenter cuts is its own business, the words are the tool's.
    String spoken = String.join(" ", out.toString(StandardCharsets.UTF_8).strip().split("\n"));
    assertEquals("Let me check the weather in Berlin… Here is the weather for Berlin: cloudy, temperature "
        + "15 degrees Celsius, wind 17 km/h.", spoken);
  }
}
