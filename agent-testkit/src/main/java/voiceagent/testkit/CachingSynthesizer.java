package voiceagent.testkit;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A {@link SpeechSynthesizer} that speaks each distinct text once and reuses the audio: an emulator serving hundreds
 * of calls of one agent hears the same few lines again and again, and synthesizing each anew would make the emulator,
 * not the server under test, the limit of a load test. Holds at most {@code maxEntries} texts; past that it speaks
 * without keeping (the rule-based model's lines are few, so this is a bound, not an eviction policy).
 *
 * <p>Thread contract: thread-safe; two threads asking for the same new text may both synthesize it once.
 */
public final class CachingSynthesizer implements SpeechSynthesizer {
  private final SpeechSynthesizer delegate;
  private final int maxEntries;
  private final ConcurrentHashMap<String, Synthesized> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, Synthesized> converted = new ConcurrentHashMap<>();

  private record Key(String text, int sampleRate) {}

  public CachingSynthesizer(SpeechSynthesizer delegate, int maxEntries) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries=" + maxEntries + ": expected >= 1");
    this.maxEntries = maxEntries;
  }

  @Override
  public Synthesized synthesize(String text) {
    Synthesized hit = cache.get(text);
    if (hit != null) return hit;
    Synthesized spoken = delegate.synthesize(text);
    if (cache.size() < maxEntries) cache.putIfAbsent(text, spoken);
    return spoken;
  }

  /**
   * {@code text} spoken and converted to {@code sampleRate} by {@code convert}, each pair once: the Lightning emulator
   * resamples every synthesis to the rate asked for, which under load costs more than the cached synthesis saves.
   */
  public Synthesized synthesize(String text, int sampleRate, BiFunction<Synthesized, Integer, Synthesized> convert) {
    Key key = new Key(text, sampleRate);
    Synthesized hit = converted.get(key);
    if (hit != null) return hit;
    Synthesized done = convert.apply(synthesize(text), sampleRate);
    if (converted.size() < maxEntries) converted.putIfAbsent(key, done);
    return done;
  }
}
