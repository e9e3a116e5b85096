package voiceagent.bench.sessions;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Arrays;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.MuLaw;
import voiceagent.core.spi.MediaTransport;

/**
 * A synthetic caller on the telephony path (μ-law 8 kHz both ways, no playback acknowledgement: the session's pacing
 * clock synthesises the marks). It speaks {@code turns} times — one second of tone, then silence until the agent's
 * reply has stopped for 400 ms, then a 300 ms pause — and then stays on the line, silent, until hung up. Frames come
 * from its loop's {@link CallerPump}, like a carrier's 20 ms packets; audio is shared precomputed frames.
 *
 * <p>Thread contract: confined to the call's loop (the session and the pump call it there).
 */
final class ScriptedCaller implements MediaTransport {
  static final int FRAME = 160;
  private static final byte[] SILENCE = silence();
  private static final byte[][] SPEECH = speech(50);
  private static final long LISTEN_QUIET_NANOS = 400_000_000L;
  private static final long PAUSE_FRAMES = 15;
  private static final long NO_REPLY_NANOS = 10_000_000_000L;

  private final int turns;
  private final Runnable onScriptDone;
  private TransportSink sink;
  private CallerPump pump;
  private int turn;
  private int frameInTurn = -1; // < 0: pausing before speaking
  private long pauseFrames;
  private boolean listening;
  private long listeningSince;
  private long lastAgentAudio = -1;
  private boolean hungUp;
  int unanswered;

  ScriptedCaller(int turns, long initialPauseFrames, Runnable onScriptDone) {
    this.turns = turns;
    this.pauseFrames = initialPauseFrames;
    this.onScriptDone = onScriptDone;
  }

  @Override
  public AudioFormat inputFormat() {
    return AudioFormat.MULAW_8K;
  }

  @Override
  public AudioFormat outputFormat() {
    return AudioFormat.MULAW_8K;
  }

  @Override
  public boolean acknowledgesPlayback() {
    return false;
  }

  @Override
  public void start(TransportSink s) {
    sink = s;
    Context context = Vertx.currentContext();
    pump = CallerPump.of(context);
    pump.add(this);
  }

  @Override
  public void sendAudio(byte[] data, int off, int len) {
    lastAgentAudio = System.nanoTime();
  }

  @Override
  public void sendMark(String name) {}

  @Override
  public void clear() {}

  @Override
  public void hangUp(String reason) {
    stop();
  }

  /** The caller hangs up (end of the benchmark). */
  void callerHangsUp() {
    if (hungUp) return;
    sink.onHangUp("caller");
    stop();
  }

  private void stop() {
    if (hungUp) return;
    hungUp = true;
    pump.remove(this);
    if (turn < turns) { // the call ended early (failed): its script is over too
      turn = turns;
      onScriptDone.run();
    }
  }

  /** One 20 ms packet of the caller's audio. */
  void frame(long now) {
    if (turn >= turns) {
      sink.onAudio(SILENCE, 0, FRAME);
      return;
    }
    if (listening) {
      boolean replied = lastAgentAudio > listeningSince && now - lastAgentAudio > LISTEN_QUIET_NANOS;
      boolean timedOut = lastAgentAudio <= listeningSince && now - listeningSince > NO_REPLY_NANOS;
      if (replied || timedOut) {
        if (timedOut) unanswered++;
        listening = false;
        if (++turn == turns) onScriptDone.run();
        pauseFrames = PAUSE_FRAMES;
      }
      sink.onAudio(SILENCE, 0, FRAME);
      return;
    }
    if (pauseFrames > 0) {
      pauseFrames--;
      sink.onAudio(SILENCE, 0, FRAME);
      return;
    }
    sink.onAudio(SPEECH[++frameInTurn], 0, FRAME);
    if (frameInTurn == SPEECH.length - 1) {
      frameInTurn = -1;
      listening = true;
      listeningSince = now;
    }
  }

  private static byte[] silence() {
    byte[] b = new byte[FRAME];
    Arrays.fill(b, (byte) 0xFF);
    return b;
  }

  private static byte[][] speech(int frames) {
    byte[][] f = new byte[frames][FRAME];
    for (int i = 0; i < frames * FRAME; i++) {
      f[i / FRAME][i % FRAME] = MuLaw.encode((short) (9000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
    }
    return f;
  }
}
