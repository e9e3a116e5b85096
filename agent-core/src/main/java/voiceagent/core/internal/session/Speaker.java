package voiceagent.core.internal.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningStream;
import voiceagent.common.Clock;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.CallLog;

/**
 * The speaking side of a call: each {@link Segment} goes to Lightning on the call's warm stream (fixed lines come
 * from the agent's {@link StaticLines}), its audio is converted and queued on the {@link Outbound}, and the
 * generation's content is tracked as produced and as played, for the heard text of an interruption.
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class Speaker {
  private static final Logger log = LoggerFactory.getLogger(Speaker.class);

  private final CallSession session;
  private final StaticLines lines;
  private final AudioPaths audio;
  private final Outbound outbound;
  private final Clock clock;
  private final CallLog callLog;
  private LightningStream lightning;
  private final List<Segment> segments = new ArrayList<>(); // queued or playing, in order
  private final Map<String, Segment> byRequest = new HashMap<>();
  private final List<Segment> unsynthesized = new ArrayList<>(); // waiting for the Lightning stream to open
  private long contentGeneration = -1;
  private final StringBuilder content = new StringBuilder(); // that generation's content, as produced
  private int playedChars; // of that content, played in full
  private int lineSequence;
  private final List<AfterPlayed> afterPlayed = new ArrayList<>();

  /** {@code then} runs once every segment of {@code before} has played. */
  private record AfterPlayed(List<Segment> before, Runnable then) {
    boolean ready() {
      for (Segment s : before) if (!s.played) return false;
      return true;
    }
  }

  Speaker(CallSession session, StaticLines lines, AudioPaths audio, Outbound outbound, Clock clock,
      CallLog callLog) {
    this.session = session;
    this.lines = lines;
    this.audio = audio;
    this.outbound = outbound;
    this.clock = clock;
    this.callLog = callLog;
  }

  /** The Lightning stream is open: segments that waited for it are synthesised now. */
  void attach(LightningStream stream) {
    lightning = stream;
    for (Segment s : unsynthesized) synthesize(s);
    unsynthesized.clear();
  }

  /** Queues a segment of a turn for synthesis and playback. */
  void speak(Segment s) {
    if (s.isModelContent()) {
      if (s.generation != contentGeneration) {
        contentGeneration = s.generation;
        content.setLength(0);
        playedChars = 0;
      }
      while (content.length() < s.charStart) content.append(' ');
      content.setLength(s.charStart);
      content.append(s.text);
    }
    segments.add(s);
    if (lightning == null) unsynthesized.add(s);
    else synthesize(s);
  }

  private void synthesize(Segment s) {
    s.requestId = "t" + s.turn + "-g" + s.generation + "-s" + s.sequence;
    byRequest.put(s.requestId, s);
    s.synthesis = lightning.begin(s.requestId);
    s.synthesis.append(s.text);
    s.synthesis.flush();
  }

  /** A fixed line (greeting, idle prompt, goodbye): synthesised once per agent, then reused. */
  void speakLine(int turn, String text, SpeechKind kind) {
    Segment s = new Segment(turn, 0, ++lineSequence, text, kind, -1, -1);
    segments.add(s);
    lines.audio(text, audio.lightningRate()).onComplete(ar -> session.onLoop(() -> {
      if (!segments.contains(s)) return; // cut before its audio came
      if (ar.succeeded()) {
        byte[] out = audio.toTransport(ar.result(), ar.result().length, false); // the agent's cached line
        outbound.enqueue(s, out, 0, audio.lastLength(), clock.nanoTime());
      }
      synthesized(s);
    }));
  }

  void onLightning(LightningEvent e) {
    if (session.ended()) return;
    switch (e) {
      case LightningEvent.AudioChunk c -> {
        Segment s = byRequest.get(c.requestId());
        if (s == null) return;
        session.onFirstAudio(s);
        byte[] out = audio.toTransport(c.pcm16(), c.pcm16().length, true); // the chunk's array is ours alone
        outbound.enqueue(s, out, 0, audio.lastLength(), clock.nanoTime());
      }
      case LightningEvent.WordTimestamp w -> {
        Segment s = byRequest.get(w.requestId());
        if (s != null) s.addWord(w.word(), w.start(), w.end());
      }
      case LightningEvent.Completed c -> endSynthesis(c.requestId());
      case LightningEvent.Failed f -> {
        callLog.warn(log).addKeyValue("request_id", f.requestId()).addKeyValue("kind", f.error().kind())
            .log("speech synthesis failed");
        endSynthesis(f.requestId());
      }
      case LightningEvent.Reconnected r -> callLog.debug(log).addKeyValue("reason", r.reason()).log("tts reconnected");
    }
  }

  private void endSynthesis(String requestId) {
    Segment s = byRequest.remove(requestId);
    if (s != null) synthesized(s);
  }

  private void synthesized(Segment s) {
    s.synthesized = true;
    outbound.endSegment(s);
    session.emit(new CallEvent.SpeechSynthesized(session.now(), s.turn, s.text, s.kind,
        (long) (s.queuedBytes * 1000 / audio.bytesPerSecond())));
  }

  /** A segment's mark came back; false when it had been cut (its audio played before the clear took effect). */
  boolean played(Segment s) {
    boolean live = segments.remove(s);
    s.played = true; // a cut segment whose mark came back from before the clear still counts as heard
    if (live && s.isModelContent() && s.generation == contentGeneration) {
      playedChars = Math.max(playedChars, s.charEnd);
    }
    return live;
  }

  /**
   * Runs {@code then} once every segment queued now has played (at once when none is); never when they are cut: a
   * barge-in drops what waited for them.
   */
  void whenPlayed(Runnable then) {
    if (segments.isEmpty()) then.run();
    else afterPlayed.add(new AfterPlayed(List.copyOf(segments), then));
  }

  /** Runs what waited for the segments played so far; what it runs may speak or cut. */
  void runAfterPlayed() {
    if (afterPlayed.isEmpty()) return;
    List<AfterPlayed> ready = new ArrayList<>();
    afterPlayed.removeIf(a -> a.ready() && ready.add(a));
    for (AfterPlayed a : ready) a.then.run();
  }

  boolean idle() {
    return segments.isEmpty();
  }

  /**
   * Barge-in: every synthesis in flight is cancelled (the stream opens a spare socket at once) and every queued
   * segment is taken off; they are returned, in order.
   */
  List<Segment> cut() {
    List<Segment> cut = List.copyOf(segments);
    for (Segment s : cut) {
      if (s.synthesis != null && !s.synthesized) s.synthesis.cancel();
    }
    segments.clear();
    byRequest.clear();
    unsynthesized.clear();
    afterPlayed.clear();
    return cut;
  }

  /** Generation {@code generation}'s content as produced so far, or "" when nothing of it was spoken. */
  String content(long generation) {
    return generation == contentGeneration ? content.toString() : "";
  }

  /** Characters of generation {@code generation}'s content whose segments played to their end. */
  int playedChars(long generation) {
    return generation == contentGeneration ? playedChars : 0;
  }

  /** Fresh sequence numbers for segments the session makes itself (a resumed remainder). */
  int nextSequences(int count) {
    int first = 1_000_000 + lineSequence;
    lineSequence += count;
    return first;
  }

  void close() {
    cut();
    if (lightning != null) lightning.close();
  }
}
