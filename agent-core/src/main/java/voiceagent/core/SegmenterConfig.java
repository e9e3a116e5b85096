package voiceagent.core;

import voiceagent.common.AgentException;

/**
 * How the speech segmenter cuts a spoken answer into text-to-speech requests.
 *
 * <p>Thread contract: immutable.
 *
 * @param firstSegmentMinWords words the first segment needs before a clause boundary may end it; fewer gives the
 *                             voice a lone "Sure," with odd prosody, more delays the first audio
 * @param maxSegmentChars      longest segment; a longer run is cut at its last clause boundary, else at a space
 * @param minSegmentChars      shortest later segment: a sentence end releases only once this much text is waiting,
 *                             so "Okay." is sent with the sentence after it rather than as its own request
 */
public record SegmenterConfig(int firstSegmentMinWords, int maxSegmentChars, int minSegmentChars) {
  /** Lightning accepts at most 250 characters of text per request. */
  public static final int LIGHTNING_MAX_CHARS = 250;

  /**
   * Three words ("Sure, let me check,") before the first cut; a 200-character cap, under Lightning's 250 limit and
   * above its ~140-character sweet spot so the cap rarely fires before a sentence ends; later segments of at least
   * 20 characters (about four words, a second of speech).
   */
  public static final SegmenterConfig DEFAULT = new SegmenterConfig(3, 200, 20);

  public SegmenterConfig {
    if (firstSegmentMinWords < 1 || firstSegmentMinWords > 20) {
      throw AgentException.config("agent.segmenter.first_segment_min_words", firstSegmentMinWords, "expected 1..20");
    }
    if (maxSegmentChars < 20 || maxSegmentChars > LIGHTNING_MAX_CHARS) {
      throw AgentException.config("agent.segmenter.max_segment_chars", maxSegmentChars,
          "expected 20.." + LIGHTNING_MAX_CHARS + " (Lightning accepts at most " + LIGHTNING_MAX_CHARS
              + " characters per request)");
    }
    if (minSegmentChars < 0 || minSegmentChars > maxSegmentChars) {
      throw AgentException.config("agent.segmenter.min_segment_chars", minSegmentChars,
          "expected 0..max_segment_chars (" + maxSegmentChars + ")");
    }
  }
}
