package voiceagent.core.internal.turn;

import voiceagent.core.SegmenterConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class SpeechSegmenterTest {
  private final List<String> out = new ArrayList<>();
  private SpeechSegmenter segmenter = new SpeechSegmenter(SegmenterConfig.DEFAULT, out::add);

  private List<String> segments(String... fragments) {
    for (String f : fragments) segmenter.accept(f);
    segmenter.flush();
    return out;
  }

  private List<String> segments(SegmenterConfig config, String text) {
    segmenter = new SpeechSegmenter(config, out::add);
    return segments(text);
  }

  /** The speakable text: all segments joined, as the voice will say them. */
  private String spoken(String... fragments) {
    return String.join(" ", segments(fragments));
  }

  private static String[] words(String text) {
    return text.split("(?<= )");
  }

  @Test
  void firstClauseWithTooFewWordsWaitsForTheSentenceEnd() {
    String[] fragments = words("Sure, let me check the weather for you.");
    for (String f : fragments) {
      segmenter.accept(f);
      assertEquals(List.of(), out, "after " + f + ": \"Sure,\" alone has fewer than 3 words");
    }
    segmenter.flush();
    assertEquals(List.of("Sure, let me check the weather for you."), out);
  }

  @Test
  void firstSegmentIsReleasedTheMomentItsBoundaryIsConfirmed() {
    String[] fragments = {"Sure", ",", " let", " me", " check", " that", ",", " it", " takes", " a", " sec", "ond", "."};
    int[] expectedCalls = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < fragments.length; i++) {
      segmenter.accept(fragments[i]);
      assertEquals(expectedCalls[i], out.size(), "sink calls after fragment " + i + " \"" + fragments[i] + "\"");
    }
    assertEquals(List.of("Sure, let me check that,"), out);
    assertTrue(segmenter.hasPending());
    segmenter.flush();
    assertEquals(List.of("Sure, let me check that,", "it takes a second."), out);
    assertFalse(segmenter.hasPending());
  }

  @Test
  void aSpaceAloneConfirmsTheBoundary() {
    segmenter.accept("Hello there my friend,");
    assertEquals(0, out.size(), "a comma at the end may still be 1,000");
    segmenter.accept(" ");
    assertEquals(List.of("Hello there my friend,"), out);
  }

  @Test
  void laterSegmentsEndAtSentenceEndsNotAtCommas() {
    assertEquals(List.of("Sure, let me see.",
            "First, the flight leaves at noon, then it lands at three, and after that a bus takes you to the hotel.",
            "Enjoy!"),
        segments("Sure, let me see. First, the flight leaves at noon, then it lands at three, and after that a bus "
            + "takes you to the hotel. Enjoy!"));
  }

  @Test
  void exactSegmentsForSeveralAnswers() {
    assertEquals(List.of("Sure, let me check that for you.", "The weather in Paris is sunny today.",
        "It is 20 degrees with a light breeze."), segments(words("Sure, let me check that for you. The weather in "
        + "Paris is sunny today. It is 20 degrees with a light breeze.")));
    out.clear();
    assertEquals(List.of("Okay. Yes. The meeting is at 3 pm,", "in room 4."),
        segments("Okay. Yes. The meeting is at 3 pm, in room 4."));
    out.clear();
    assertEquals(List.of("Hello there, my friend!", "Yes. No. That is right."),
        segments(words("Hello there, my friend! Yes. No. That is right.")), "short sentences wait for 20 characters");
    out.clear();
    assertEquals(List.of("Well... I think so,", "yes."), segments("Well... I think so, yes."));
    out.clear();
    assertEquals(List.of("Well, I think —", "honestly — it works."), segments("Well, I think — honestly — it works."));
    out.clear();
    assertEquals(List.of("It costs 10–20 dollars,", "roughly."), segments("It costs 10–20 dollars, roughly."),
        "a dash inside a range is not a boundary");
  }

  @Test
  void abbreviationsDecimalsMoneyAndUrlsAreNotSentenceEnds() {
    assertEquals(List.of("Dr. Smith paid $1.00 for 3.5 kg of apples,",
            "e.g. the red ones, at www.example.com today.", "Then he left."),
        segments(words("Dr. Smith paid $1.00 for 3.5 kg of apples, e.g. the red ones, at www.example.com today. "
            + "Then he left.")));
    out.clear();
    assertEquals(List.of("The U.S. economy grew.", "Prices rose."), segments("The U.S. economy grew. Prices rose."));
    out.clear();
    assertEquals(List.of("Meet Mr. J. Smith at 10:30 a.m. sharp,", "bring it."),
        segments("Meet Mr. J. Smith at 10:30 a.m. sharp, bring it."));
  }

  @Test
  void commaInsideANumberIsNotAClauseBoundary() {
    assertEquals(List.of("We sold 1,000 units,", "and that is a record."),
        segments("We sold 1,", "000 units, and that is a record."));
  }

  @Test
  void capCutsAtTheLastClauseBoundaryElseAtASpaceNeverMidWord() {
    SegmenterConfig config = new SegmenterConfig(1, 40, 10);
    assertEquals(List.of("Hi.", "alpha beta, gamma delta epsilon,", "zeta eta theta iota kappa lambda mu nu",
        "xi omicron pi rho sigma."), segments(config, "Hi. alpha beta, gamma delta epsilon, zeta eta theta iota kappa "
        + "lambda mu nu xi omicron pi rho sigma."));
    out.clear();
    assertEquals(List.of("one two three four five six seven eight", "nine ten eleven twelve thirteen fourteen"),
        segments(config, "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"));
  }

  @Test
  void onlyAWordLongerThanTheCapIsCutInside() {
    String word = "x".repeat(90);
    List<String> result = segments(new SegmenterConfig(1, 40, 10), "Look: " + word + " ok.");
    assertEquals(List.of("Look:", word.substring(0, 40), word.substring(40, 80), word.substring(80) + " ok."), result);
  }

  @Test
  void emphasisIsRemovedButNotFromSnakeCaseOrArithmetic() {
    assertEquals("Bold and strong and em and em text, with snake_case and 5 * 3 and 2*4 here.",
        spoken("**Bold** and __strong__ and *em* and _em_ text, with snake_case and 5 * 3 and 2*4 here."));
  }

  @Test
  void headingsListsAndQuotesKeepTheirWordsAndEndSentences() {
    assertEquals(List.of("Weather today. Sunny.", "Warm, 25 degrees. First item.", "Second item."),
        segments("## Weather today\n- Sunny\n- Warm, 25 degrees\n1. First item\n2. Second item."));
    out.clear();
    assertEquals("Quoted text here, and more. Done.", spoken("> Quoted text here, and more.\n\n---\n\nDone."));
  }

  @Test
  void linksKeepTheirTextImagesVanishBareUrlsStay() {
    assertEquals("See the docs and now.", spoken("See [the docs](https://example.com/a_(b)) and ![logo](x.png) now."));
    out.clear();
    assertEquals("Visit https://example.com/path_name?q=1 today.",
        spoken("Visit https://example.com/path_name?q=1 today."));
  }

  @Test
  void tableRowsBecomeCommaSeparatedSentences() {
    assertEquals("Day, Temp. Mon, 20. Tue, 22.", spoken("| Day | Temp |\n|---|:---:|\n| Mon | 20 |\n| Tue | 22 |\n"));
  }

  @Test
  void htmlTagsAndInlineCodeMarksAreRemoved() {
    assertEquals("Line one line two bold. Run ls -la now.",
        spoken("Line one<br>line two <b>bold</b>. Run `ls -la` now."));
  }

  @Test
  void codeFencesAreDroppedWithTheirContentEvenWhenSplit() {
    assertEquals(List.of("Here is the code:", "That prints a greeting."),
        segments("Here is the code:\n```python\nprint('hi, there. yes')\n```\nThat prints a greeting."));
    out.clear();
    assertEquals("Code is ready. Done here.",
        spoken("Code is ready.\n``", "`js\nlet x = 1; // ``", "`\nDone here."));
    out.clear();
    assertEquals("Tilde block next. After it.", spoken("Tilde block next.\n~~~\nrm -rf /\n~~~\nAfter it."));
  }

  @Test
  void reasoningSpansAreDroppedEvenWhenTagsAreSplit() {
    assertEquals(List.of("Sure, it is sunny today."),
        segments("<th", "ink>The user wants weather. Let me think.</thi", "nk>Sure, it is sunny today."));
    out.clear();
    assertEquals("Yes. Right.", spoken("<THINKING>a</thinking>Yes. <reasoning>b, c.</reasoning>Right."));
  }

  @Test
  void flushDropsAnUnclosedReasoningSpanOrFence() {
    assertEquals(List.of("Hello there, my friend."), segments("Hello there, my friend. <think>hmm, maybe"));
    out.clear();
    assertEquals(List.of("Here you go:"), segments("Here you go:\n```\nunfinished code"));
  }

  @Test
  void textThatOnlyLookedLikeMarkupIsSpokenAtFlush() {
    assertEquals("Is 3 < 4 and a <b so #1 ~5 minutes, -2 degrees!",
        spoken("Is 3 < 4 and a <b so #1 ~5 minutes, -2 degrees!"));
  }

  @Test
  void emojiPassThrough() {
    assertEquals(List.of("Great job 🎉! See you soon."), segments("Great job 🎉! See you soon."));
  }

  @Test
  void hasPendingReportsHeldText() {
    segmenter.accept("<thi");
    assertTrue(segmenter.hasPending(), "may still be text");
    segmenter.accept("nk>secret");
    assertFalse(segmenter.hasPending(), "inside a reasoning span nothing is speakable");
    segmenter.accept("</think>Hi");
    assertTrue(segmenter.hasPending());
    segmenter.flush();
    assertEquals(List.of("Hi"), out);
    assertFalse(segmenter.hasPending());
  }

  @Test
  void resetDropsBufferedTextAndRestartsTheFirstSegmentRule() {
    segmenter.accept("Sure, let me check that, and then some more");
    assertEquals(List.of("Sure, let me check that,"), out);
    segmenter.reset();
    assertFalse(segmenter.hasPending());
    segmenter.accept("Okay, here we go, friends, ");
    assertEquals(List.of("Sure, let me check that,", "Okay, here we go,"), out, "a first segment ends at a comma");
    segmenter.reset();
    segmenter.accept("<think>half a thought");
    segmenter.reset();
    segmenter.accept("Right, all of you. ");
    segmenter.flush();
    assertEquals(List.of("Sure, let me check that,", "Okay, here we go,", "Right, all of you."), out);
  }

  @Test
  void configValidationNamesTheKeyAndValue() {
    AgentException words = assertThrows(AgentException.class, () -> new SegmenterConfig(0, 200, 20));
    assertEquals(ErrorKind.CONFIG, words.kind());
    assertTrue(words.getMessage().startsWith("agent.segmenter.first_segment_min_words=0: "), words.getMessage());
    AgentException max = assertThrows(AgentException.class, () -> new SegmenterConfig(3, 300, 20));
    assertTrue(max.getMessage().startsWith("agent.segmenter.max_segment_chars=300: "), max.getMessage());
    assertTrue(max.getMessage().contains("250"), max.getMessage());
    AgentException min = assertThrows(AgentException.class, () -> new SegmenterConfig(3, 100, 101));
    assertTrue(min.getMessage().startsWith("agent.segmenter.min_segment_chars=101: "), min.getMessage());
    assertEquals(new SegmenterConfig(3, 200, 20), SegmenterConfig.DEFAULT);
  }
}
