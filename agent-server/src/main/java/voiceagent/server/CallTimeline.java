package voiceagent.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import voiceagent.core.CallEvent;

/**
 * What {@code voice-agent call} prints: one line per turn once the turn is over (the next one started, or the call
 * ended) — what the caller said, what the agent said, the latency breakdown of the turn (end of speech → STT final →
 * turn start → first token → first segment → first audio → first frame sent → first frame played), the runtime's
 * share, and whether the caller talked over the agent — then a line for the call's end.
 *
 * <p>Thread contract: not thread-safe; fed the call's events in order from one subscriber.
 */
final class CallTimeline {
  private final ChatOutput output;
  /** How long after the caller began talking over the agent its audio was cleared (ms), or -1; asked at line time. */
  private final LongSupplier agentStoppedMillis;
  private Turn turn;
  private CallEvent.CallEnded ended;

  private static final class Turn {
    final CallEvent.TurnStarted started;
    final List<String> agentSaid = new ArrayList<>();
    CallEvent.TurnLatency latency;
    CallEvent.Interrupted interrupted;

    Turn(CallEvent.TurnStarted started) {
      this.started = started;
    }
  }

  CallTimeline(ChatOutput output, LongSupplier agentStoppedMillis) {
    this.output = output;
    this.agentStoppedMillis = agentStoppedMillis;
  }

  void accept(CallEvent e) {
    switch (e) {
      case CallEvent.TurnStarted t -> {
        printTurn();
        turn = new Turn(t);
      }
      case CallEvent.SpeechStarted s when turn != null && s.turn() == turn.started.turn() -> turn.agentSaid.add(s.text());
      case CallEvent.TurnLatency l when turn != null && l.turn() == turn.started.turn() -> turn.latency = l;
      case CallEvent.Interrupted i when turn != null && i.turn() == turn.started.turn() -> turn.interrupted = i;
      case CallEvent.CallEnded end -> {
        printTurn();
        ended = end;
        output.note(ChatOutput.event("call_ended").put("reason", end.reason()).put("turns", end.turns())
                .put("frames_sent", end.framesSent()).put("underruns", end.underruns())
                .put("max_jitter_us", end.maxJitterMicros()).put("cost_usd", end.costUsd()),
            String.format(Locale.ROOT, "call ended after %.1f s: %s, %d turns, %d frames sent, %d underruns, "
                + "max tick jitter %.1f ms", end.atMillis() / 1000.0, end.reason(), end.turns(), end.framesSent(),
                end.underruns(), end.maxJitterMicros() / 1000.0));
      }
      default -> { }
    }
  }

  /** The call's last event, once it came. */
  CallEvent.CallEnded ended() {
    return ended;
  }

  private void printTurn() {
    Turn t = turn;
    turn = null;
    if (t == null) return;
    int n = t.started.turn();
    long stopped = t.interrupted == null ? -1 : agentStoppedMillis.getAsLong();
    ObjectNode json = ChatOutput.event("turn").put("turn", n).put("at_ms", t.started.atMillis())
        .put("caller", t.started.userText()).put("agent", String.join(" ", t.agentSaid));
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "turn %d at %.1f s: caller \"%s\" → agent \"%s\"",
        n, t.started.atMillis() / 1000.0, t.started.userText(), String.join(" ", t.agentSaid)));
    CallEvent.TurnLatency l = t.latency;
    if (l != null) {
      json.put("stt_final_ms", l.sttFinalMillis()).put("endpointing_ms", l.endpointingMillis())
          .put("first_token_ms", l.firstTokenMillis()).put("first_segment_ms", l.firstSegmentMillis())
          .put("first_audio_ms", l.firstAudioMillis()).put("first_frame_sent_ms", l.firstFrameSentMillis())
          .put("first_frame_played_ms", l.firstFramePlayedMillis()).put("total_ms", l.totalToFirstFrameMillis())
          .put("runtime_ms", l.runtimeMillis()).put("runtime_us", l.runtimeMicros());
      text.append(String.format(Locale.ROOT, " | end of speech →%s STT final →%s turn →%s first token →%s first "
          + "segment →%s first audio →%s first frame sent →%s played | %s to first frame, runtime %.1f ms",
          ms(l.sttFinalMillis()), ms(l.endpointingMillis()), ms(l.firstTokenMillis()), ms(l.firstSegmentMillis()),
          ms(l.firstAudioMillis()), ms(l.firstFrameSentMillis()), ms(l.firstFramePlayedMillis()),
          ms(l.totalToFirstFrameMillis()).strip(), l.runtimeMicros() / 1000.0));
    } else {
      text.append(" | no audio played");
    }
    json.put("interrupted", t.interrupted != null);
    if (t.interrupted != null) {
      json.put("heard", t.interrupted.heardText()).put("agent_stopped_ms", stopped);
      text.append(" | interrupted: the caller talked over it")
          .append(stopped >= 0 ? String.format(Locale.ROOT, ", agent silent %d ms after the caller began", stopped) : "")
          .append(", heard \"").append(t.interrupted.heardText()).append('"');
    } else {
      text.append(" | not interrupted");
    }
    output.note(json, text.toString());
  }

  private static String ms(long millis) {
    return millis < 0 ? " -" : " " + millis + " ms";
  }
}
