package voiceagent.core.internal.turn;
public final class SpeechSegmenter {
  private final java.util.function.Consumer<String> sink;
  private final StringBuilder b = new StringBuilder();
  public SpeechSegmenter(SegmenterConfig config, java.util.function.Consumer<String> sink) { this.sink = sink; }
  public void accept(String f) {
    b.append(f);
    int i;
    while ((i = indexOfEnd()) >= 0) { String s = b.substring(0, i + 1).strip(); b.delete(0, i + 1); if (!s.isEmpty()) sink.accept(s); }
  }
  private int indexOfEnd() { for (int i = 0; i < b.length() - 1; i++) if (".!?".indexOf(b.charAt(i)) >= 0 && b.charAt(i + 1) == ' ') return i; return -1; }
  public void flush() { String s = b.toString().strip(); b.setLength(0); if (!s.isEmpty()) sink.accept(s); }
  public void reset() { b.setLength(0); }
  public boolean hasPending() { return !b.isEmpty(); }
}
