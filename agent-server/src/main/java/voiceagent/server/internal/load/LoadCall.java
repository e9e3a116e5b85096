package voiceagent.server.internal.load;

import java.util.concurrent.TimeUnit;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CarrierCaller;

/**
 * One synthetic caller's conversation, driven by its loop's 20 ms tick: it streams audio all call long like a phone
 * line (silence, or a line of {@link SpeechClips} at real-time pace), waits for the agent to finish speaking (its
 * emulated playback buffer ran dry {@link #QUIET_NANOS} ago), pauses, speaks the next line, and times end of speech →
 * first agent audio. Agent frames are timed against the 20 ms pace within a segment (between two marks); a frame that
 * arrives after the playback buffer ran dry inside a segment is an underrun. Hangs up after the call's duration.
 *
 * <p>Thread contract: confined to its driver loop's context (the socket's context).
 */
final class LoadCall {
  static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(800);
  private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int MAX_CATCH_UP_FRAMES = 5;

  private enum Phase { GREETING, LISTENING, THINKING, SPEAKING, AWAITING_ANSWER, HANGING_UP, ENDED }

  private final CarrierCaller caller;
  private final SpeechClips clips;
  private final StepStats stats;
  private final long startNanos;
  private final long endNanos;
  private final long thinkNanos;

  private Phase phase = Phase.GREETING;
  private long framesSent;
  private int line;
  private int frameInLine;
  private long phaseUntil; // greeting or answer deadline, end of the pause
  private long endOfSpeech;
  private long lastAgentFrame;
  private long playedUntil; // when the caller's emulated playback buffer runs dry
  private boolean inSegment; // an agent frame arrived since the last mark or clear
  private int unanswered;

  LoadCall(CarrierCaller caller, SpeechClips clips, StepStats stats, long startNanos, long durationNanos, int index) {
    this.caller = caller;
    this.clips = clips;
    this.stats = stats;
    this.startNanos = startNanos;
    this.endNanos = startNanos + durationNanos;
    this.thinkNanos = TimeUnit.MILLISECONDS.toNanos(300 + (index * 37L) % 400); // callers out of step
    this.line = index;
    this.phaseUntil = startNanos + ANSWER_TIMEOUT_NANOS;
    caller.onEvent(this::onEvent);
  }

  boolean ended() {
    return phase == Phase.ENDED;
  }

  /** Sends the frames due by {@code now} and moves the conversation on. */
  void tick(long now) {
    if (phase == Phase.ENDED || phase == Phase.HANGING_UP) return;
    if (now >= endNanos && phase != Phase.SPEAKING) {
      hangUp();
      return;
    }
    advance(now);
    long due = Math.min(MAX_CATCH_UP_FRAMES, (now - startNanos) / FRAME_NANOS + 1 - framesSent);
    for (long i = 0; i < due; i++) {
      if (phase == Phase.SPEAKING) {
        SpeechClips.Clip clip = clips.clip(line);
        caller.sendFrame(clip.frames()[frameInLine++]);
        if (frameInLine == clip.frames().length) {
          endOfSpeech = System.nanoTime();
          phase = Phase.AWAITING_ANSWER;
          phaseUntil = endOfSpeech + ANSWER_TIMEOUT_NANOS;
          line++;
        }
      } else {
        caller.sendFrame(clips.silence());
      }
      framesSent++;
    }
  }

  private void advance(long now) {
    switch (phase) {
      case GREETING -> {
        if (lastAgentFrame == 0 && now > phaseUntil) end("no greeting within 10 s", true);
        else if (lastAgentFrame != 0 && now > playedUntil + QUIET_NANOS) think(now);
      }
      case LISTENING -> {
        if (now > playedUntil + QUIET_NANOS) think(now);
      }
      case THINKING -> {
        if (now >= phaseUntil) {
          phase = Phase.SPEAKING;
          frameInLine = 0;
        }
      }
      case AWAITING_ANSWER -> {
        if (now > phaseUntil) {
          stats.unanswered++;
          unanswered++;
          think(now);
        }
      }
      default -> { }
    }
  }

  private void think(long now) {
    phase = Phase.THINKING;
    phaseUntil = now + thinkNanos;
  }

  private void onEvent(CallerEvent e) {
    switch (e) {
      case CallerEvent.Audio a -> onAudio(a.bytes());
      case CallerEvent.Mark m -> inSegment = false;
      case CallerEvent.Clear c -> {
        inSegment = false;
        playedUntil = System.nanoTime();
      }
      case CallerEvent.Violation v -> stats.violations++;
      case CallerEvent.Closed c -> {
        if (phase != Phase.HANGING_UP) end("closed by the server (" + c.code() + " " + c.reason() + ")", false);
        else finish();
      }
    }
  }

  private void onAudio(int bytes) {
    long now = System.nanoTime();
    stats.framesIn++;
    if (phase == Phase.AWAITING_ANSWER) {
      stats.firstAudio.recordNanos(now - endOfSpeech);
      stats.turns++;
      phase = Phase.LISTENING;
    }
    if (inSegment) {
      stats.frameLateness.recordNanos(Math.max(0, now - lastAgentFrame - FRAME_NANOS));
      if (now > playedUntil) stats.underruns++;
    }
    playedUntil = Math.max(playedUntil, now) + bytes * 125_000L; // μ-law 8 kHz: 125 µs a byte
    lastAgentFrame = now;
    inSegment = true;
  }

  private void hangUp() {
    phase = Phase.HANGING_UP;
    caller.hangUp();
  }

  /** The caller hung up and the socket closed: a completed call, unless a turn went unanswered. */
  private void finish() {
    phase = Phase.ENDED;
    stats.live--;
    if (unanswered > 0) stats.fail(unanswered + " turn(s) without an answer within 10 s");
    else stats.completed++;
  }

  private void end(String reason, boolean hangUp) {
    if (phase == Phase.ENDED) return;
    phase = Phase.ENDED;
    stats.live--;
    stats.fail(reason);
    if (hangUp) caller.hangUp();
  }

  /** The step's time ran out before the call ended. */
  void abandon() {
    end("did not end within the step's limit", true);
  }
}
