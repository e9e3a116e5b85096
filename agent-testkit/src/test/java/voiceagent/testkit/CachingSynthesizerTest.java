package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingSynthesizerTest {

  @Test
  void speaksEachTextOnceAndConvertsEachTextAndRateOnce() {
    AtomicInteger spoken = new AtomicInteger();
    AtomicInteger converted = new AtomicInteger();
    CachingSynthesizer cache = new CachingSynthesizer(text -> {
      spoken.incrementAndGet();
      return new SpeechSynthesizer.Synthesized(new byte[] {1, 2, 3, 4}, 16_000, List.of());
    }, 8);

    SpeechSynthesizer.Synthesized a = cache.synthesize("hello");
    assertSame(a, cache.synthesize("hello"));
    assertNotSame(a, cache.synthesize("goodbye"));
    assertEquals(2, spoken.get());

    SpeechSynthesizer.Synthesized at8k = cache.synthesize("hello", 8000, (s, rate) -> {
      converted.incrementAndGet();
      return new SpeechSynthesizer.Synthesized(new byte[] {1, 2}, rate, s.words());
    });
    assertSame(at8k, cache.synthesize("hello", 8000, (s, rate) -> {
      throw new AssertionError("converted twice");
    }));
    assertEquals(8000, at8k.sampleRate());
    assertEquals(1, converted.get());
    assertEquals(2, spoken.get(), "the conversion reuses the cached speech");
  }

  @Test
  void pastItsBoundItSpeaksWithoutKeeping() {
    AtomicInteger spoken = new AtomicInteger();
    CachingSynthesizer cache = new CachingSynthesizer(text -> {
      spoken.incrementAndGet();
      return new SpeechSynthesizer.Synthesized(new byte[2], 16_000, List.of());
    }, 1);
    cache.synthesize("one");
    cache.synthesize("two");
    cache.synthesize("two");
    assertEquals(3, spoken.get());
  }
}
