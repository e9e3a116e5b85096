package voiceagent.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.spi.MediaTransport;

/** Pacing: 20 ms frames at the lead, in place when they can be, underruns and jitter, synthesised marks. */
class OutboundTest {
  private static final long MS = 1_000_000;

  /** A transport without playback acknowledgement that records what it is sent. */
  private static final class Recording implements MediaTransport {
    final List<byte[]> arrays = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();
    final List<String> marks = new ArrayList<>();
    final boolean acknowledges;
    int clears;

    Recording() {
      this(false);
    }

    Recording(boolean acknowledges) {
      this.acknowledges = acknowledges;
    }

    @Override public AudioFormat inputFormat() { return AudioFormat.MULAW_8K; }
    @Override public AudioFormat outputFormat() { return AudioFormat.MULAW_8K; }
    @Override public boolean acknowledgesPlayback() { return acknowledges; }
    @Override public void start(TransportSink sink) { }
    @Override public void sendAudio(byte[] data, int off, int len) { arrays.add(data); lengths.add(len); }
    @Override public void sendMark(String name) {
      if (!acknowledges) throw new AssertionError("marks are synthesised here");
      marks.add(name);
    }
    @Override public void clear() { clears++; }
    @Override public void hangUp(String reason) { }
  }

  private final List<String> heard = new ArrayList<>();
  private final Outbound.Listener listener = new Outbound.Listener() {
    @Override public void onSegmentStarted(Segment s, long now) { heard.add("started@" + now / MS); }
    @Override public void onFirstFramePlayed(Segment s, long at) { heard.add("first@" + at / MS); }
    @Override public void onSegmentPlayed(Segment s, long now) { heard.add("played@" + now / MS); }
  };

  private static Segment segment() {
    Segment s = new Segment(1, 1, 0, "one two", SpeechKind.REPLY, 0, 7);
    s.firstOfTurn = true;
    return s;
  }

  @Test
  void framesLeaveAtTheLeadInPlaceWhenTheyLieInOneChunkAndMarksFollowThePacingCursor() {
    Recording t = new Recording();
    Outbound out = new Outbound(t, AudioFormat.MULAW_8K, 100, listener);
    Segment s = segment();
    byte[] a = new byte[3000];
    byte[] b = new byte[2500];
    byte[] c = new byte[2500];
    out.enqueue(s, a, 0, a.length, 0);
    assertEquals(5, t.lengths.size(), "the start of a reply goes out at once: 100 ms of lead, five frames");
    out.enqueue(s, b, 0, b.length, 0);
    out.enqueue(s, c, 0, c.length, 0);
    out.endSegment(s);
    out.tick(0, 0);
    assertEquals(5, t.lengths.size(), "no more than the lead");
    for (long now = 20; now <= 1200; now += 20) out.tick(now * MS, 0);

    assertEquals(8000, t.lengths.stream().mapToInt(Integer::intValue).sum(), "every byte, once");
    assertEquals(50, t.lengths.size(), "1 s in 20 ms frames");
    assertSame(a, t.arrays.getFirst(), "a frame inside a chunk is sent from the chunk itself");
    long copied = t.arrays.stream().filter(x -> x != a && x != b && x != c).count();
    assertEquals(2, copied, "only the two frames straddling chunks are assembled");
    assertEquals(List.of("started@0", "first@0", "played@1000"), heard, "played when its last byte has played");
    assertEquals(0, out.underruns);
  }

  @Test
  void aLateTickInTheMiddleOfASegmentCountsAnUnderrunAndItsJitter() {
    Recording t = new Recording();
    Outbound out = new Outbound(t, AudioFormat.MULAW_8K, 40, listener);
    Segment s = segment();
    out.enqueue(s, new byte[4000], 0, 4000, 0);
    out.tick(0, 0);
    out.tick(20 * MS, 0);
    out.tick(300 * MS, 260 * MS); // the loop stalled: the far end ran dry
    assertEquals(1, out.underruns);
    assertEquals(260 * MS, out.maxJitterNanos);
  }

  @Test
  void aClearDropsTheQueueTellsTheTransportAndReturnsWhatPlayed() {
    Recording t = new Recording();
    Outbound out = new Outbound(t, AudioFormat.MULAW_8K, 100, listener);
    Segment s = segment();
    out.enqueue(s, new byte[8000], 0, 8000, 0);
    out.endSegment(s);
    for (long now = 0; now <= 200; now += 20) out.tick(now * MS, 0);
    int sent = t.lengths.size();
    long played = out.clear(210 * MS);
    assertEquals(8 * 210, played, "the pacing cursor: 210 ms played of the 300 ms sent");
    assertEquals(1, t.clears);
    for (long now = 220; now <= 400; now += 20) out.tick(now * MS, 0);
    assertEquals(sent, t.lengths.size(), "nothing more is sent");
    assertTrue(heard.stream().noneMatch(h -> h.startsWith("played")), "the cut segment never plays to its end");
  }

  @Test
  void aLateClearConfirmationKeepsTheMarksOfAudioSentAfterTheClear() {
    Recording t = new Recording(true);
    Outbound out = new Outbound(t, AudioFormat.MULAW_8K, 100, listener);
    Segment cut = segment();
    out.enqueue(cut, new byte[1600], 0, 1600, 0);
    out.endSegment(cut);
    out.tick(20 * MS, 0);
    out.clear(40 * MS);
    Segment next = new Segment(2, 2, 0, "next", SpeechKind.REPLY, 0, 4);
    out.enqueue(next, new byte[320], 0, 320, 60 * MS);
    out.endSegment(next);
    out.tick(80 * MS, 0);
    out.onCleared(); // the confirmation of the clear arrives after the next reply started
    out.onMarkPlayed(t.marks.getLast(), 120 * MS);
    assertEquals("played@120", heard.getLast(), "the next reply's mark still counts: " + t.marks);
  }
}
