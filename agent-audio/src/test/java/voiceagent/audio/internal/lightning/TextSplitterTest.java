package voiceagent.audio.internal.lightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextSplitterTest {

  @Test
  void shortTextIsOnePiece() {
    assertEquals(List.of("Hello there."), TextSplitter.split("  Hello there.  ", 250));
  }

  @Test
  void cutsAtTheLastSentenceEndThatFits() {
    String text = "First sentence here. Second one, with a clause. Third sentence is long enough to overflow.";
    assertEquals(List.of("First sentence here. Second one, with a clause.", "Third sentence is long enough to overflow."),
        TextSplitter.split(text, 60));
  }

  @Test
  void aSentenceEndInsideQuotesCounts() {
    assertEquals(List.of("He said \"stop.\"", "Then he left the room quietly."),
        TextSplitter.split("He said \"stop.\" Then he left the room quietly.", 40));
  }

  @Test
  void withoutASentenceEndCutsAtTheLastClauseThenAtTheLastSpace() {
    assertEquals(List.of("one two three, four five;", "six seven eight nine"),
        TextSplitter.split("one two three, four five; six seven eight nine", 30));
    assertEquals(List.of("alpha beta gamma", "delta epsilon"), TextSplitter.split("alpha beta gamma delta epsilon", 20));
  }

  @Test
  void onlyAWordLongerThanAPieceIsCutInside() {
    String word = "x".repeat(25);
    assertEquals(List.of("a", "x".repeat(10), "x".repeat(10), "xxxxx b"), TextSplitter.split("a " + word + " b", 10));
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String text = "a".repeat(9) + "😀" + "b".repeat(5);
    List<String> pieces = TextSplitter.split(text, 10);
    assertEquals("a".repeat(9), pieces.get(0));
    assertEquals(text, String.join("", pieces));
  }

  @Test
  void everyPieceFitsAndTheWordsStayInOrder() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 400; i++) s.append(i % 7 == 0 ? "Sentence " + i + " ends here. " : "word" + i + (i % 5 == 0 ? ", " : " "));
    List<String> pieces = TextSplitter.split(s.toString(), 250);
    for (String p : pieces) assertTrue(p.length() <= 250 && !p.isBlank() && p.equals(p.strip()), p);
    assertEquals(s.toString().strip(), String.join(" ", pieces));
  }
}
