package voiceagent.testkit.electron;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How scripted text and arguments are cut into deltas. Thread contract: stateless. */
final class TextFragments {
  private static final Pattern WORD = Pattern.compile("\\s*\\S+\\s*$|\\s*\\S+");
  private static final Pattern DIGITS = Pattern.compile("\\d{3,}");

  private TextFragments() {}

  /**
   * Words with their leading whitespace ("Hello", " there."); a run of three or more digits is split after its first
   * digit ("$100" into "$1" and "00"), as real tokenizers split numbers.
   */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String word = m.group();
      Matcher d = DIGITS.matcher(word);
      if (d.find()) {
        out.add(word.substring(0, d.start() + 1));
        out.add(word.substring(d.start() + 1));
      } else {
        out.add(word);
      }
    }
    return out;
  }

  /** {@code s} in {@code n} nearly equal pieces (fewer when shorter than {@code n}); never an empty piece. */
  static List<String> pieces(String s, int n) {
    List<String> out = new ArrayList<>();
    int count = Math.max(1, Math.min(n, s.length()));
    for (int i = 0; i < count; i++) {
      int from = s.length() * i / count;
      int to = s.length() * (i + 1) / count;
      if (to > from) out.add(s.substring(from, to));
    }
    return out;
  }

  /** The harmony header and analysis message before the final text, each token split in two fragments. */
  static List<String> harmonyHead(String analysis) {
    List<String> out = new ArrayList<>(List.of("<|chan", "nel|>analysis<", "|message|>"));
    out.addAll(words(analysis));
    out.addAll(List.of("<|end", "|><|start|>assis", "tant<|channel|", ">final<|mess", "age|>"));
    return out;
  }

  /** The end of the harmony final message, split. */
  static List<String> harmonyTail() {
    return List.of("<|ret", "urn|>");
  }

  /** {@code <think>thought</think>} with both tags split across fragments, so a client must hold text back. */
  static List<String> thinkBlock(String thought) {
    List<String> out = new ArrayList<>(List.of("<th", "ink>"));
    out.addAll(words(thought));
    out.addAll(List.of("</thi", "nk>"));
    return out;
  }
}
