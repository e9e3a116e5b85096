package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThinkFilterTest {
  private String run(String... fragments) {
    ThinkFilter f = new ThinkFilter();
    StringBuilder s = new StringBuilder();
    for (String x : fragments) s.append(f.accept(x));
    return s.append(f.finish()).toString();
  }

  @Test
  void spanSplitAnywhereIsRemoved() {
    assertEquals("Hi there", run("Hi <", "thin", "k>reason", "ing</th", "ink>there"));
  }

  @Test
  void otherAngleBracketsStay() {
    assertEquals("a < b and <b>c", run("a < b and <", "b>c"));
  }

  @Test
  void unterminatedSpanIsDroppedAtEnd() {
    assertEquals("ok ", run("ok <thinking>never closed"));
  }

  @Test
  void textBeforeAPossibleTagIsReleasedAtOnce() {
    ThinkFilter f = new ThinkFilter();
    assertEquals("Sure, ", f.accept("Sure, <th"));
    assertEquals("<then>", f.accept("en>"));
  }
}
