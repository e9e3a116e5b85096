package voiceagent.testkit;

import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.Utterance;
import com.sun.speech.freetts.UtteranceProcessor;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import voiceagent.testkit.internal.lightning.FreeTtsCapture;

/**
 * Real, intelligible English speech offline: FreeTTS's diphone voice {@code kevin16} (16 kHz), pure Java from Maven
 * Central.
 *
 * <p>Word timings come from FreeTTS's own utterance structure, not from an estimate: after duration prediction every
 * segment (phone) carries its {@code end} time, so a word spans from the end of the segment before its first phone
 * to the end of its last phone (through the {@code SylStructure} relation). Words are reported per input token as
 * written ("21", not "twenty one"); times of later sentences are offset by the audio of the sentences before.
 *
 * <p>Thread contract: thread-safe. FreeTTS voices are not, so one voice is shared and every synthesis holds
 * {@link #lock} (a {@link ReentrantLock}, so waiting virtual threads do not pin their carriers). Synthesis blocks for
 * tens of milliseconds per sentence: never call it on an event loop.
 */
public final class FreeTtsSynthesizer implements SpeechSynthesizer {
  private static final String VOICE = "kevin16";

  private final ReentrantLock lock = new ReentrantLock();
  private Voice voice; // guarded by lock; loaded on first use (about a second)
  private FreeTtsCapture capture; // guarded by lock

  private static final class Holder {
    static final FreeTtsSynthesizer SHARED = new FreeTtsSynthesizer();
  }

  /** The process-wide instance: loading the voice once is enough for every emulator. */
  public static FreeTtsSynthesizer shared() {
    return Holder.SHARED;
  }

  @Override
  public Synthesized synthesize(String text) {
    lock.lock();
    try {
      if (voice == null) load();
      capture.clear();
      if (text != null && !text.isBlank()) voice.speak(text);
      return capture.result();
    } finally {
      lock.unlock();
    }
  }

  private void load() {
    Voice v = Arrays.stream(new KevinVoiceDirectory().getVoices())
        .filter(candidate -> VOICE.equals(candidate.getName()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("FreeTTS voice " + VOICE + " is not on the class path"));
    v.allocate();
    FreeTtsCapture c = new FreeTtsCapture();
    v.setAudioPlayer(c);
    @SuppressWarnings("unchecked")
    List<UtteranceProcessor> processors = v.getUtteranceProcessors();
    processors.add(utterance -> c.addUtterance(wordsOf(utterance)));
    voice = v;
    capture = c;
  }

  /** Token spans of one utterance, in seconds from its start. */
  private static List<Word> wordsOf(Utterance utterance) {
    List<Word> words = new ArrayList<>();
    Relation tokens = utterance.getRelation(Relation.TOKEN);
    for (Item token = tokens == null ? null : tokens.getHead(); token != null; token = token.getNext()) {
      double start = -1;
      double end = -1;
      for (Item w = token.getDaughter(); w != null; w = w.getNext()) {
        Item syllables = w.getItemAs(Relation.SYLLABLE_STRUCTURE);
        Item firstSegment = syllables == null || syllables.getDaughter() == null ? null
            : syllables.getDaughter().getDaughter();
        Item lastSegment = syllables == null || syllables.getLastDaughter() == null ? null
            : syllables.getLastDaughter().getLastDaughter();
        if (firstSegment == null || lastSegment == null) continue;
        Item before = firstSegment.getItemAs(Relation.SEGMENT).getPrevious();
        if (start < 0) start = before == null ? 0 : before.getFeatures().getFloat("end");
        end = lastSegment.getFeatures().getFloat("end");
      }
      if (start >= 0) words.add(new Word(token.getFeatures().getString("name"), start, end));
    }
    return words;
  }
}
