package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarmonyFilterTest {
  private static final String ANALYSIS_THEN_FINAL = "<|channel|>analysis<|message|>The user wants the time. <b>ok</b>"
      + "<|end|><|start|>assistant<|channel|>final<|message|>It is 3 pm, a < b.<|return|>";

  private static String run(List<String> fragments) {
    HarmonyFilter f = new HarmonyFilter();
    StringBuilder s = new StringBuilder();
    for (String x : fragments) s.append(f.accept(x));
    return s.append(f.finish()).toString();
  }

  private static String run(String... fragments) {
    return run(List.of(fragments));
  }

  @Test
  void onlyTheFinalChannelIsSpokenWhereverTheInputIsSplitInTwo() {
    for (int i = 0; i <= ANALYSIS_THEN_FINAL.length(); i++) {
      String out = run(ANALYSIS_THEN_FINAL.substring(0, i), ANALYSIS_THEN_FINAL.substring(i));
      assertEquals("It is 3 pm, a < b.", out, "split at " + i);
    }
  }

  @Test
  void onlyTheFinalChannelIsSpokenWhereverTheInputIsSplitInThree() {
    String s = "<|start|>assistant<|channel|>commentary to=functions.get_time <|constrain|>json<|message|>{}<|call|>"
        + "<|channel|>final<|message|>Noon.<|end|>";
    for (int i = 0; i <= s.length(); i++) {
      for (int j = i; j <= s.length(); j++) {
        assertEquals("Noon.", run(s.substring(0, i), s.substring(i, j), s.substring(j)), "split at " + i + ", " + j);
      }
    }
  }

  @Test
  void oneCharacterAtATimeGivesTheSameSpeech() {
    List<String> chars = new ArrayList<>();
    for (char c : ANALYSIS_THEN_FINAL.toCharArray()) chars.add(String.valueOf(c));
    assertEquals("It is 3 pm, a < b.", run(chars));
  }

  @Test
  void plainTextPassesThroughAtOnce() {
    HarmonyFilter f = new HarmonyFilter();
    assertEquals("Hello", f.accept("Hello"));
    assertEquals(" there, a <b> tag and a <| bar", f.accept(" there, a <b> tag and a <| bar"));
    assertEquals("", f.finish());
  }

  @Test
  void aLessThanSignIsHeldOnlyUntilTheNextFragmentDecidesIt() {
    HarmonyFilter f = new HarmonyFilter();
    assertEquals("a ", f.accept("a <"));
    assertEquals("< b", f.accept(" b"));
    assertEquals("x ", f.accept("x <"));
    assertEquals("", f.accept("|mess"));
    assertEquals("", f.accept("age|>"));
    assertEquals("<", run("<"), "a lone '<' at the end is text");
  }

  @Test
  void analysisWithoutAFinalMessageSaysNothingAndAPartialTokenAtTheEndIsDropped() {
    assertEquals("", run("<|channel|>analysis<|message|>thinking about it", " still thinking"));
    assertEquals("Done.", run("<|channel|>final<|message|>Done.<|ret"));
  }

  @Test
  void aMessageWithoutAChannelIsSpeechAndUnknownTokensAreNeverSpoken() {
    assertEquals("Hi there.", run("<|start|>assistant<|message|>Hi<|endoftext|> there."));
  }

  @Test
  void aSecondFinalMessageAfterCommentaryIsSpokenToo() {
    assertEquals("One. Two.", run("<|channel|>final<|message|>One.<|end|>",
        "<|start|>assistant<|channel|>commentary<|message|>tool talk<|end|>",
        "<|start|>assistant<|channel|>final<|message|> Two.<|return|>"));
  }
}
