package voiceagent.core.internal.turn;
public record SegmenterConfig(int firstSegmentMinWords, int maxSegmentChars, int minSegmentChars) {
  public static final SegmenterConfig DEFAULT = new SegmenterConfig(3, 200, 20);
}
