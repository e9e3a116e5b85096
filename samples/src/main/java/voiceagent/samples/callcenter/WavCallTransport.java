package voiceagent.samples.callcenter;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import voiceagent.audio.AudioConverter;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.MuLaw;
import voiceagent.audio.WavFile;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.core.CallEvent;
import voiceagent.core.spi.MediaTransport;

/**
 * A phone line made of WAV files: it plays the caller's utterances into a call one turn after another, in real time
 * on the call's clock, in μ-law 8 kHz (the carriers' format, so the session takes its zero-transcode path), and
 * records both sides on one timeline — caller left, agent right, silence where nobody speaks.
 *
 * <p>The far end plays like a carrier: the agent's audio plays at its real pace, a mark is reported once the audio
 * before it has played, and {@link #clear} drops what is queued at once. An utterance starts when the agent's reply to
 * the previous one has played (then a short pause), or, with a barge-in delay, that long after the agent began the
 * reply, so the caller talks over it. After the last reply the caller hangs up. The transport learns about turns from
 * the call's events: pass each one to {@link #onEvent}.
 *
 * <p>Thread contract: the transport methods and the transport's own 20 ms tick run on the call's loop; {@link #onEvent}
 * may be called from any thread (it hops to the loop); {@link #recording()} and {@link #utterances()} from any thread.
 */
public final class WavCallTransport implements MediaTransport {
  /** What the line carries both ways. */
  public static final AudioFormat FORMAT = AudioFormat.MULAW_8K;
  /** The recording: 16-bit stereo at 8 kHz, caller left, agent right. */
  public static final AudioFormat RECORDING_FORMAT = new AudioFormat(AudioFormat.Encoding.PCM16_LE, 8000, 2);
  private static final int FRAME_MILLIS = 20;
  private static final int FRAME = FORMAT.bytesFor(FRAME_MILLIS);
  private static final byte SILENCE = (byte) 0xFF;
  /** The caller's pause before the first question, and after a reply played before the next one. */
  private static final int PAUSE_TICKS = 500 / FRAME_MILLIS;
  /** A question nobody answers (nothing recognised, or a silent reply) does not hold the line for ever. */
  private static final int NO_TURN_TICKS = 15_000 / FRAME_MILLIS;

  /**
   * One caller utterance on the recording's timeline; {@code agentStoppedMillis} is how long after the utterance
   * began the agent's audio was cleared (it talked over the agent), or -1.
   */
  public record Utterance(int index, long startMillis, long endMillis, long agentStoppedMillis) {}

  /** A mark at a byte position of the agent's stream, due when the audio before it has played in real time. */
  private record Mark(String name, long position, long dueNanos) {}

  private final Clock clock;
  private final List<byte[]> caller;
  private final long bargeInTicks;
  private final CompletableFuture<byte[]> recording = new CompletableFuture<>();
  private final List<Utterance> played = new CopyOnWriteArrayList<>();

  // On the call's loop.
  private volatile Context context; // set once by start; read by onEvent on any thread
  private TransportSink sink;
  private Clock.Cancellable tick;
  private final ByteArrayOutputStream stereo = new ByteArrayOutputStream();
  private final byte[] inFrame = new byte[FRAME];
  private final byte[] stereoFrame = new byte[FRAME * 4];
  private long ticks;
  private boolean callStarted;
  private boolean done;
  private int nextUtterance;
  private byte[] speaking;
  private int speakingPos;
  private long startAtTick = -1;
  private long awaitingSinceTick = -1;
  // The agent's side: bytes queued at the far end, and the marks among them.
  private byte[] agent = new byte[FRAME * 64];
  private int agentHead;
  private int agentTail;
  private long agentPlayed; // bytes played since the call began
  private long playEndNanos; // when what was sent will have played, at the real pace
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  // The reply being waited for: the latest turn and how its speech went.
  private int turnsBeforeUtterance;
  private int latestTurn;
  private long turnEndedTick = -1;
  private int synthesized;
  private int spoken;
  private long replyBeganTick = -1;
  private long replyDoneSinceTick = -1;

  private WavCallTransport(Clock clock, List<byte[]> caller, long bargeInAtMillis) {
    this.clock = clock;
    this.caller = List.copyOf(caller);
    this.bargeInTicks = bargeInAtMillis < 0 ? -1 : bargeInAtMillis / FRAME_MILLIS;
  }

  /**
   * A line that plays {@code utterances} (each in {@link #FORMAT}); {@code bargeInAtMillis} ≥ 0 starts each utterance
   * after the first that long after the agent began its reply, -1 waits until the reply played.
   */
  public static WavCallTransport create(Clock clock, List<byte[]> utterances, long bargeInAtMillis) {
    return new WavCallTransport(clock, utterances, bargeInAtMillis);
  }

  /**
   * A mono WAV's audio in {@link #FORMAT}, converted (and resampled) when it is in another format.
   *
   * @throws AgentException INVALID_REQUEST for a stereo file or a rate the resampler does not take
   */
  public static byte[] callerAudio(WavFile.Audio wav) {
    if (wav.format().channels() != 1) {
      throw AgentException.config("wav channels", wav.format().channels(), "expected a mono WAV");
    }
    AudioConverter c = AudioConverter.create(wav.format(), FORMAT);
    byte[] out = new byte[c.maxOutputBytes(wav.data().length)];
    return Arrays.copyOf(out, c.convert(wav.data(), 0, wav.data().length, out, 0));
  }

  /** Both sides as 16-bit stereo PCM ({@link #RECORDING_FORMAT}), once the call is over. */
  public CompletableFuture<byte[]> recording() {
    return recording;
  }

  /** The caller's utterances played so far. */
  public List<Utterance> utterances() {
    return List.copyOf(played);
  }

  /** Tells the line what happened in the call (turns, speech started and played, the end). Any thread. */
  public void onEvent(CallEvent e) {
    Context c = context;
    if (c != null) c.runOnContext(v -> event(e));
  }

  @Override
  public AudioFormat inputFormat() {
    return FORMAT;
  }

  @Override
  public AudioFormat outputFormat() {
    return FORMAT;
  }

  @Override
  public boolean acknowledgesPlayback() {
    return true;
  }

  @Override
  public void start(TransportSink s) {
    sink = s;
    context = Vertx.currentContext();
    tick = clock.periodic(context, FRAME_MILLIS, this::tick);
  }

  @Override
  public void sendAudio(byte[] data, int off, int len) {
    if (done) return;
    if (agentTail + len > agent.length) {
      int queued = agentTail - agentHead;
      byte[] to = queued + len > agent.length ? new byte[Math.max(agent.length * 2, queued + len)] : agent;
      System.arraycopy(agent, agentHead, to, 0, queued);
      agent = to;
      agentHead = 0;
      agentTail = queued;
    }
    System.arraycopy(data, off, agent, agentTail, len);
    agentTail += len;
    playEndNanos = Math.max(playEndNanos, clock.nanoTime()) + len * 1_000_000_000L / FORMAT.bytesPerSecond();
  }

  @Override
  public void sendMark(String name) {
    marks.add(new Mark(name, agentPlayed + agentTail - agentHead, playEndNanos));
  }

  @Override
  public void clear() {
    if (speaking != null && agentTail > agentHead) {
      Utterance u = played.getLast();
      played.set(played.size() - 1, new Utterance(u.index(), u.startMillis(), u.endMillis(), millis(ticks)
          - u.startMillis()));
    }
    agentHead = agentTail = 0;
    marks.clear();
    playEndNanos = clock.nanoTime();
    context.runOnContext(v -> {
      if (!done) sink.onCleared();
    });
  }

  @Override
  public void hangUp(String reason) {
    finish();
  }

  // ---- on the call's loop

  private void event(CallEvent e) {
    switch (e) {
      case CallEvent.CallStarted s -> {
        callStarted = true;
        if (!caller.isEmpty()) startAtTick = ticks + PAUSE_TICKS;
        else awaitingSinceTick = ticks;
      }
      case CallEvent.TurnStarted t -> {
        latestTurn = t.turn();
        turnEndedTick = -1;
        synthesized = 0;
        spoken = 0;
        replyBeganTick = -1;
      }
      case CallEvent.SpeechSynthesized s when s.turn() == latestTurn -> synthesized++;
      case CallEvent.SpeechStarted s when s.turn() == latestTurn && replyBeganTick < 0 -> replyBeganTick = ticks;
      case CallEvent.SpeechPlayed s when s.turn() == latestTurn -> spoken++;
      case CallEvent.TurnEnded t when t.turn() == latestTurn -> turnEndedTick = ticks;
      case CallEvent.CallEnded end -> finish();
      default -> { }
    }
  }

  private void tick() {
    if (done) return;
    // The frame taken at the last tick has played by now: report the marks it passed, once their time has come too
    // (timer ticks that run late come in bursts, each taking a frame).
    long now = clock.nanoTime();
    while (!marks.isEmpty() && marks.peek().position <= agentPlayed && marks.peek().dueNanos <= now) {
      sink.onMarkPlayed(marks.poll().name);
    }
    Arrays.fill(inFrame, SILENCE);
    if (speaking != null) {
      int n = Math.min(FRAME, speaking.length - speakingPos);
      System.arraycopy(speaking, speakingPos, inFrame, 0, n);
      speakingPos += n;
    }
    sink.onAudio(inFrame, 0, FRAME);
    int agentBytes = Math.min(FRAME, agentTail - agentHead);
    for (int i = 0; i < FRAME; i++) {
      short left = MuLaw.decode(inFrame[i]);
      short right = i < agentBytes ? MuLaw.decode(agent[agentHead + i]) : 0;
      stereoFrame[4 * i] = (byte) left;
      stereoFrame[4 * i + 1] = (byte) (left >> 8);
      stereoFrame[4 * i + 2] = (byte) right;
      stereoFrame[4 * i + 3] = (byte) (right >> 8);
    }
    stereo.write(stereoFrame, 0, stereoFrame.length);
    agentHead += agentBytes;
    agentPlayed += agentBytes;
    if (agentHead == agentTail) agentHead = agentTail = 0;
    ticks++;
    if (speaking != null && speakingPos >= speaking.length) endUtterance();
    if (callStarted && speaking == null) nextStep();
  }

  private void endUtterance() {
    Utterance u = played.getLast();
    played.set(played.size() - 1, new Utterance(u.index(), u.startMillis(), millis(ticks), u.agentStoppedMillis()));
    speaking = null;
    awaitingSinceTick = ticks;
  }

  /** Between utterances: start the next one, or hang up after the last reply, when the time has come. */
  private void nextStep() {
    if (startAtTick >= 0) {
      if (ticks >= startAtTick) beginUtterance();
      return;
    }
    if (awaitingSinceTick < 0) return;
    boolean answered = latestTurn > turnsBeforeUtterance;
    // The events say when the text is complete and when each piece of speech played, not how many pieces are still
    // being synthesised: a reply is done when all that came has played, and a silent one after a long wait.
    boolean replyDone = answered && turnEndedTick >= 0 && spoken >= synthesized && agentTail == agentHead
        && (spoken > 0 || ticks - turnEndedTick >= NO_TURN_TICKS);
    replyDoneSinceTick = replyDone ? (replyDoneSinceTick < 0 ? ticks : replyDoneSinceTick) : -1;
    boolean settled = replyDoneSinceTick >= 0 && ticks - replyDoneSinceTick >= PAUSE_TICKS;
    boolean talkOver = bargeInTicks >= 0 && nextUtterance > 0 && nextUtterance < caller.size() && answered
        && replyBeganTick >= 0 && ticks >= replyBeganTick + bargeInTicks;
    boolean unanswered = !answered && ticks - awaitingSinceTick >= NO_TURN_TICKS;
    if (!settled && !talkOver && !unanswered) return;
    if (nextUtterance < caller.size()) {
      beginUtterance();
    } else {
      sink.onHangUp("caller");
      finish();
    }
  }

  private void beginUtterance() {
    startAtTick = -1;
    awaitingSinceTick = -1;
    replyDoneSinceTick = -1;
    turnsBeforeUtterance = latestTurn;
    speaking = caller.get(nextUtterance);
    speakingPos = 0;
    played.add(new Utterance(nextUtterance++, millis(ticks), -1, -1));
  }

  private void finish() {
    if (done) return;
    done = true;
    if (tick != null) tick.cancel();
    recording.complete(stereo.toByteArray());
  }

  private static long millis(long tickCount) {
    return tickCount * FRAME_MILLIS;
  }
}
