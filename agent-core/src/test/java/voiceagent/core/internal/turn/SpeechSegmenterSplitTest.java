package voiceagent.core.internal.turn;

import voiceagent.core.SegmenterConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks: the segments of a text do not depend on how the stream splits it, and every segment keeps
 * the sink contract. The texts mix every rule the segmenter has; the random splits use a fixed seed.
 */
class SpeechSegmenterSplitTest {
  private static final long SEED = 20240611L;
  private static final int RANDOM_SPLITS = 150;
  private static final List<String> TEXTS = List.of(
      "Sure, let me check that for you. The weather in Paris is sunny today. It is 20 degrees.",
      "Dr. Smith paid $1.00 for 3.5 kg, e.g. apples, at www.example.com today... Then the U.S. team won 1,000 games!",
      "<think>The user asks, so I answer.</think>Okay. **Here** is the _plan_:\n\n## Steps\n1. Book the *flight*\n"
          + "2. Pack `bags` now\n- See [the guide](https://example.com/a_(b)) and ![map](m.png)\n> Quote, here.\n",
      "Code below:\n```java\nint a = 1, b = 2.5;\n```\nAnd ~~~ inline.\n~~~\nx.y\n~~~\nDone <br> and <b>bold</b> "
          + "5 * 3 snake_case <Think>hidden</THINK>visible.",
      "| Day | Temp |\n|---|:---:|\n| Mon | 20 |\n| Tue | 22, warm |\nThat is all 🎉 for now — bye!",
      "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
          + "eighteen nineteen twenty, twenty-one twenty-two; twenty-three " + "z".repeat(70) + " end.",
      "Hello\nthere friend\nhow are you \nfine thanks, really.   Spaces\t\tand tabs.\r\nCRLF line.",
      "Unclosed <think>never ends, never spoken.");
  private static final List<SegmenterConfig> CONFIGS = List.of(SegmenterConfig.DEFAULT,
      new SegmenterConfig(1, 40, 0), new SegmenterConfig(5, 60, 30));

  private static List<String> segment(SegmenterConfig config, List<String> fragments) {
    List<String> out = new ArrayList<>();
    SpeechSegmenter segmenter = new SpeechSegmenter(config, out::add);
    for (String f : fragments) segmenter.accept(f);
    segmenter.flush();
    assertFalse(segmenter.hasPending());
    return out;
  }

  @Test
  void everyTwoWaySplitGivesTheSameSegments() {
    for (SegmenterConfig config : CONFIGS) {
      for (String text : TEXTS) {
        List<String> whole = segment(config, List.of(text));
        for (int p = 1; p < text.length(); p++) {
          int at = p;
          assertEquals(whole, segment(config, List.of(text.substring(0, at), text.substring(at))),
              () -> "split at " + at + " of " + text);
        }
      }
    }
  }

  @Test
  void characterByCharacterAndRandomSplitsGiveTheSameSegments() {
    Random random = new Random(SEED);
    for (SegmenterConfig config : CONFIGS) {
      for (String text : TEXTS) {
        List<String> whole = segment(config, List.of(text));
        assertEquals(whole, segment(config, split(text, 1, random)), "char by char: " + text);
        for (int n = 0; n < RANDOM_SPLITS; n++) {
          List<String> fragments = split(text, 1 + random.nextInt(8), random);
          assertEquals(whole, segment(config, fragments), () -> "fragments " + fragments);
        }
      }
    }
  }

  @Test
  void segmentsAreTrimmedSingleSpacedAndWithinTheCap() {
    for (SegmenterConfig config : CONFIGS) {
      for (String text : TEXTS) {
        for (String s : segment(config, List.of(text))) {
          assertFalse(s.isEmpty());
          assertEquals(s.strip(), s);
          assertFalse(s.contains("  ") || s.contains("\n") || s.contains("\t"), s);
          assertTrue(s.length() <= config.maxSegmentChars(), () -> s.length() + " > cap: " + s);
          assertFalse(s.matches(".*(<think|```|~~~|\\*\\*|\\]\\(|\\|).*"), s);
        }
      }
    }
  }

  @Test
  void theSpokenTextDoesNotDependOnWhereItIsCut() {
    for (String text : TEXTS) {
      String reference = String.join(" ", segment(SegmenterConfig.DEFAULT, List.of(text)));
      for (SegmenterConfig config : CONFIGS.subList(1, CONFIGS.size())) {
        String joined = String.join(" ", segment(config, List.of(text)));
        if (text.contains("z".repeat(70))) joined = joined.replaceAll("(?<=z) (?=z)", ""); // the only mid-word cut
        assertEquals(reference, joined, text);
      }
    }
  }

  /** Splits {@code text} into pieces of 1..maxPiece characters (maxPiece 1 = character by character). */
  private static List<String> split(String text, int maxPiece, Random random) {
    List<String> pieces = new ArrayList<>();
    for (int p = 0; p < text.length(); ) {
      int n = Math.min(text.length() - p, 1 + random.nextInt(maxPiece));
      pieces.add(text.substring(p, p + n));
      p += n;
    }
    return pieces;
  }
}
