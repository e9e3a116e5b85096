package voiceagent.testkit.electron;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A caller's words as the {@link RuleBasedModel} reads them: small talk (greeting, thanks, goodbye), the place a
 * question is about, and a number of days. It reads typed text ("What's the weather in San Francisco?") and
 * speech-to-text output alike (lowercase, no punctuation: "forecast for tomorrow in new york").
 *
 * <p>Thread contract: immutable.
 */
final class Utterance {
  private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "howdy", "good morning",
      "good afternoon", "good evening", "hiya");
  private static final Set<String> THANKS = Set.of("thanks", "thank you", "thank", "cheers", "appreciate it");
  private static final Set<String> GOODBYES = Set.of("bye", "goodbye", "good bye", "bye bye", "see you",
      "talk to you later", "that's all", "that is all", "that's it", "that is it", "nothing else", "no thanks",
      "no thank you", "hang up", "have a good day", "have a nice day");
  private static final Set<String> FOLLOW_UPS = Set.of("what about", "how about", "what of", "and", "then", "now",
      "ok what about", "okay what about");
  /** Words that introduce a place ("the weather in Paris", "the forecast for Tokyo"). */
  private static final Set<String> PREPOSITIONS = Set.of("in", "for", "at", "near", "around", "about");
  /** Words that end a place phrase: times, conjunctions, verbs and politeness after the name. */
  private static final Set<String> PLACE_ENDS = Set.of("today", "tomorrow", "tonight", "now", "right", "currently",
      "this", "next", "later", "week", "weekend", "morning", "afternoon", "evening", "day", "days", "please",
      "thanks", "thank", "and", "or", "but", "then", "like", "is", "are", "will", "be", "going", "gonna", "it",
      "in", "for", "at", "on", "near", "around", "about", "over", "during", "with", "too", "as", "if", "by", "so",
      "me", "you", "us", "that", "a", "an", "my", "your", "general", "all", "there", "here", "which", "what", "how",
      "weather", "forecast", "temperature", "doing", "looking", "coming", "the", "to", "again", "instead");
  /** Words before a bare answer that are not part of it ("um, paris", "yes, new york"). */
  private static final Set<String> LEAD_INS = Set.of("um", "uh", "er", "erm", "well", "oh", "okay", "ok", "yes", "yeah",
      "sure", "it's", "its", "i", "mean", "let's", "say", "try");
  /** Particles kept lowercase when a lowercase place is capitalised ("Rio de Janeiro"). */
  private static final Set<String> PARTICLES = Set.of("de", "da", "del", "di", "do", "la", "le", "of", "upon", "am",
      "sur", "y");
  private static final Map<String, Integer> NUMBERS = Map.of("one", 1, "two", 2, "three", 3, "four", 4, "five", 5,
      "six", 6, "seven", 7, "a", 1);

  /** One word as written (letters, digits, apostrophes); whether punctuation ended a phrase or sentence after it. */
  private record Word(String text, String lower, boolean endsPhrase, boolean endsSentence) {}

  private final List<Word> words;
  private final String spaced; // " word word ... " lowercase, for whole-word and phrase search

  private Utterance(List<Word> words) {
    this.words = words;
    StringBuilder s = new StringBuilder(" ");
    for (Word w : words) s.append(w.lower()).append(' ');
    this.spaced = s.toString();
  }

  static Utterance of(String text) {
    List<Word> words = new ArrayList<>();
    for (String raw : text.strip().split("\\s+")) {
      String word = raw.replace('’', '\'').replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "");
      if (word.isEmpty()) continue;
      words.add(new Word(word, word.toLowerCase(Locale.ROOT), raw.matches(".*[,;:.!?]$"), raw.matches(".*[.!?]$")));
    }
    return new Utterance(List.copyOf(words));
  }

  /** Whether {@code phrase} (lowercase words) occurs as whole words. */
  boolean has(String phrase) {
    return spaced.contains(" " + phrase + " ");
  }

  /** Whether {@code text} occurs anywhere, inside words too ("weather" in "weatherman"). */
  boolean contains(String text) {
    return spaced.contains(text);
  }

  boolean hasAny(Set<String> phrases) {
    return phrases.stream().anyMatch(this::has);
  }

  boolean isGreeting() {
    return hasAny(GREETINGS);
  }

  boolean isThanks() {
    return hasAny(THANKS);
  }

  boolean isGoodbye() {
    return hasAny(GOODBYES);
  }

  /** Whether the caller builds on the last question: "what about London?", "and in Tokyo?", "how about Paris". */
  boolean isFollowUp() {
    return FOLLOW_UPS.stream().anyMatch(p -> spaced.startsWith(" " + p + " "));
  }

  /**
   * The place the caller asks about: the last phrase after a preposition that is not a time ("for Tokyo for the next
   * two days" gives "Tokyo"), else the last run of capitalised words that does not start a sentence; null when none.
   * A lowercase or all-capitals phrase is capitalised ("new york" gives "New York", "PARIS" gives "Paris").
   */
  String place() {
    String found = null;
    for (int i = 0; i < words.size(); i++) {
      if (!PREPOSITIONS.contains(words.get(i).lower()) || words.get(i).endsPhrase()) continue;
      String phrase = phraseFrom(i + 1);
      if (phrase != null) found = phrase;
    }
    return found != null ? found : lastCapitalised();
  }

  /** The whole utterance read as a place, for an answer to "which city?" ("paris", "it's in new york please"). */
  String placeAnswer() {
    String place = place();
    if (place != null) return place;
    int start = 0;
    while (start < words.size()
        && (PLACE_ENDS.contains(words.get(start).lower()) || LEAD_INS.contains(words.get(start).lower()))) {
      start++;
    }
    return phraseFrom(start);
  }

  /** Days asked for: "next two days" 2, "3 days" 3, "tomorrow" 2, "today" 1; null when not said. */
  Integer days() {
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i).lower();
      if (!w.equals("days") && !w.equals("day")) continue;
      String n = words.get(i - 1).lower();
      if (n.matches("\\d{1,2}")) return Integer.parseInt(n);
      if (NUMBERS.containsKey(n)) return NUMBERS.get(n);
    }
    if (has("day after tomorrow")) return 3;
    if (has("tomorrow")) return 2;
    if (has("today") || has("tonight")) return 1;
    return null;
  }

  private String phraseFrom(int start) {
    List<String> place = new ArrayList<>();
    if (start < words.size() && words.get(start).lower().equals("the") && !words.get(start).endsPhrase()) start++;
    for (int i = start; i < words.size(); i++) {
      Word w = words.get(i);
      if (PLACE_ENDS.contains(w.lower()) || !w.lower().matches("[\\p{L}'.-]+")) break;
      place.add(w.text());
      if (w.endsPhrase()) break;
    }
    if (place.isEmpty()) return null;
    String joined = String.join(" ", place);
    String lower = joined.toLowerCase(Locale.ROOT);
    // Lowercase (speech-to-text) or shouted ("PARIS"): written as a name. Short capitals stay ("NYC", "LA").
    boolean shouted = joined.equals(joined.toUpperCase(Locale.ROOT)) && place.stream().anyMatch(w -> w.length() > 3);
    return joined.equals(lower) || shouted ? capitalise(List.of(lower.split(" "))) : joined;
  }

  private static String capitalise(List<String> words) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      out.add(i > 0 && PARTICLES.contains(w) ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
    }
    return String.join(" ", out);
  }

  private String lastCapitalised() {
    String last = null;
    boolean sentenceStart = true;
    boolean inName = false;
    for (Word w : words) {
      boolean name = !sentenceStart && w.text().length() > 1 && Character.isUpperCase(w.text().charAt(0))
          && !w.text().equals("I");
      if (name) last = inName ? last + " " + w.text() : w.text();
      inName = name && !w.endsPhrase();
      sentenceStart = w.endsSentence();
    }
    return last;
  }
}
