package voiceagent.core.internal.session;

import java.util.ArrayDeque;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.Framer;
import voiceagent.core.spi.MediaTransport;

/**
 * The agent's side of one call's audio: converted speech queued per {@link Segment}, sent to the transport in 20 ms
 * frames by the loop's pacing tick while less than the lead is queued at the far end, with a mark after each segment
 * (and after the first frame of a turn). It keeps the pacing cursor: where playback is, assuming the far end plays
 * what it got in real time, so the heard position is known without waiting for the transport, and marks are
 * synthesised for transports that do not acknowledge playback.
 *
 * <p>Per frame it allocates nothing: a frame lying inside one queued chunk is sent in place; one that straddles two
 * chunks is assembled in a reused buffer.
 *
 * <p>Thread contract: confined to the call's loop (the pacing tick of that loop calls {@link #tick}).
 */
public final class Outbound {
  private static final long FRAME_MILLIS = Framer.DEFAULT_FRAME_MILLIS;

  /** What playback reports to the session. Thread contract: called on the call's loop. */
  interface Listener {
    void onSegmentStarted(Segment s, long nowNanos);

    void onFirstFramePlayed(Segment s, long playedAtNanos);

    void onSegmentPlayed(Segment s, long nowNanos);
  }

  private record Chunk(Segment segment, byte[] data, int off, int len) {}

  private record SegmentEnd(Segment segment) {}

  private record Mark(long seq, String name, long bytePosition, Segment segment, boolean end) {}

  private final MediaTransport transport;
  private final Listener listener;
  private final boolean synthesiseMarks;
  private final int frameBytes;
  private final long frameNanos;
  private final long leadNanos;
  private final double bytesPerNano;
  private final byte[] frame;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  private int headPos; // bytes of the head chunk already taken
  private int frameFill;
  private Segment frameSegment; // the segment the staged frame belongs to
  private long sentBytes;
  private long bufferEndNanos; // when everything sent will have played, by the pacing cursor
  private long markSeq;
  private long clearedUpTo; // marks up to this one were sent before the last clear
  private boolean closed;

  // Statistics of the call.
  long framesSent;
  long underruns;
  long maxJitterNanos;

  Outbound(MediaTransport transport, AudioFormat format, int leadMillis, Listener listener) {
    this.transport = transport;
    this.listener = listener;
    this.synthesiseMarks = !transport.acknowledgesPlayback();
    this.frameBytes = format.bytesFor((int) FRAME_MILLIS);
    this.frameNanos = FRAME_MILLIS * 1_000_000;
    this.leadNanos = leadMillis * 1_000_000L;
    this.bytesPerNano = format.bytesPerSecond() / 1e9;
    this.frame = new byte[frameBytes];
  }

  /**
   * Queues {@code len} bytes of converted audio of {@code s}; the array must not change afterwards. When the far end
   * has less than the lead queued (the start of a reply), frames go out at once instead of at the next tick: waiting
   * for the tick would add up to 20 ms to every answer.
   */
  void enqueue(Segment s, byte[] data, int off, int len, long now) {
    if (closed || len == 0) return;
    s.queuedBytes += len;
    queue.add(new Chunk(s, data, off, len));
    if (bufferEndNanos - now < leadNanos) tick(now, 0);
  }

  /** No more audio comes for {@code s}: its last frame goes out short, then its mark. */
  void endSegment(Segment s) {
    if (closed) return;
    queue.add(new SegmentEnd(s));
  }

  /** Whether anything is queued here or still playing at the far end (a mark not yet back). */
  boolean busy() {
    return !queue.isEmpty() || frameFill > 0 || !marks.isEmpty();
  }

  /** The pacing tick: sends frames while less than the lead is queued at the far end, then checks marks. */
  void tick(long now, long jitterNanos) {
    if (closed) return;
    boolean active = !queue.isEmpty() || frameFill > 0;
    if (active && jitterNanos > maxJitterNanos) maxJitterNanos = jitterNanos;
    while (active && bufferEndNanos - now < leadNanos) {
      if (!sendNext(now)) break;
    }
    if (synthesiseMarks) firePlayedMarks(now);
  }

  /** Sends one frame (or a segment's short last frame, or its mark); false when nothing is ready. */
  private boolean sendNext(long now) {
    while (true) {
      Object head = queue.peek();
      if (head == null) return false;
      if (head instanceof SegmentEnd end) {
        queue.poll();
        if (frameFill > 0) {
          send(frame, 0, frameFill, frameSegment, now);
          frameFill = 0;
        }
        finishSegment(end.segment);
        return true;
      }
      Chunk c = (Chunk) head;
      int left = c.len - headPos;
      if (frameFill == 0 && left >= frameBytes) {
        send(c.data, c.off + headPos, frameBytes, c.segment, now); // in place: no copy
        advance(c, frameBytes);
        return true;
      }
      if (frameFill > 0 && frameSegment != c.segment) { // never mix two segments in one frame
        send(frame, 0, frameFill, frameSegment, now);
        frameFill = 0;
        return true;
      }
      int n = Math.min(left, frameBytes - frameFill);
      System.arraycopy(c.data, c.off + headPos, frame, frameFill, n);
      frameFill += n;
      frameSegment = c.segment;
      advance(c, n);
      if (frameFill == frameBytes) {
        send(frame, 0, frameBytes, frameSegment, now);
        frameFill = 0;
        return true;
      }
    }
  }

  private void advance(Chunk c, int n) {
    headPos += n;
    if (headPos == c.len) {
      queue.poll();
      headPos = 0;
    }
  }

  private void send(byte[] data, int off, int len, Segment s, long now) {
    boolean first = s.startByte < 0;
    if (first) {
      s.startByte = sentBytes;
    } else if (bufferEndNanos < now - frameNanos / 2) {
      underruns++; // the far end ran dry in the middle of a segment
    }
    transport.sendAudio(data, off, len);
    framesSent++;
    sentBytes += len;
    bufferEndNanos = Math.max(bufferEndNanos, now) + (long) (len / bytesPerNano);
    if (first) {
      listener.onSegmentStarted(s, now);
      if (s.firstOfTurn) addMark(s, false);
    }
  }

  private void finishSegment(Segment s) {
    if (s.startByte < 0) s.startByte = sentBytes; // no audio at all: it "plays" at once
    s.endByte = sentBytes;
    addMark(s, true);
  }

  private void addMark(Segment s, boolean end) {
    String name = (end ? "e" : "f") + (++markSeq);
    marks.add(new Mark(markSeq, name, sentBytes, s, end));
    if (!synthesiseMarks) transport.sendMark(name);
  }

  /** The transport says mark {@code name} played: it and every earlier mark have. */
  void onMarkPlayed(String name, long now) {
    boolean known = false;
    for (Mark m : marks) {
      if (m.name.equals(name)) {
        known = true;
        break;
      }
    }
    if (!known) return;
    while (!marks.isEmpty()) {
      Mark m = marks.poll();
      fire(m, now);
      if (m.name.equals(name)) return;
    }
  }

  private void firePlayedMarks(long now) {
    long played = playedBytes(now);
    while (!marks.isEmpty() && marks.peek().bytePosition <= played) fire(marks.poll(), now);
  }

  private void fire(Mark m, long now) {
    if (m.end) listener.onSegmentPlayed(m.segment, now);
    else listener.onFirstFramePlayed(m.segment, now - frameNanos);
  }

  /** Bytes of the outbound stream played by now, by the pacing cursor. */
  long playedBytes(long now) {
    long queuedAtFarEnd = Math.max(0, bufferEndNanos - now);
    return Math.max(0, sentBytes - (long) (queuedAtFarEnd * bytesPerNano));
  }

  long sentBytes() {
    return sentBytes;
  }

  /**
   * Barge-in: drops everything queued here, tells the transport to drop what it holds, and returns the pacing
   * cursor's played position at this instant. Marks not yet played are dropped: their audio never plays (a transport
   * that acknowledges may still report marks it played before the clear took effect, which the session handles).
   */
  long clear(long now) {
    long played = playedBytes(now);
    queue.clear();
    headPos = 0;
    frameFill = 0;
    transport.clear(); // even with nothing sent yet: the far end may hold audio of ours we no longer count
    // Everything sent beyond the cursor is gone: the stream position jumps back to what played.
    bufferEndNanos = now;
    clearedUpTo = markSeq;
    if (synthesiseMarks) marks.clear();
    return played;
  }

  /**
   * The transport confirmed the clear: marks sent before it that it has not reported never will be. Marks of audio
   * sent after the clear (the next reply may start before the confirmation comes back) stay.
   */
  void onCleared() {
    marks.removeIf(m -> m.seq <= clearedUpTo);
  }

  void close() {
    closed = true;
    queue.clear();
    marks.clear();
  }
}
