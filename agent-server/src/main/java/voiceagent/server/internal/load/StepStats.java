package voiceagent.server.internal.load;

import java.util.ArrayList;
import java.util.List;

/**
 * What the callers of one driver loop measured during one step: end of speech → first agent audio, the lateness of
 * agent frames past the 20 ms pace, underruns, turns and call outcomes. Merged across loops after the step.
 *
 * <p>Thread contract: confined to its driver loop while the step runs; {@link #add} and the readers run after it.
 */
final class StepStats {
  final Histogram firstAudio = new Histogram();
  final Histogram frameLateness = new Histogram();
  long connected;
  long live;
  long completed;
  long failed;
  long turns;
  long unanswered;
  long underruns;
  long framesIn;
  long violations;
  final List<String> failures = new ArrayList<>(); // the first few reasons, for the report

  void fail(String reason) {
    failed++;
    if (failures.size() < 5) failures.add(reason);
  }

  void add(StepStats o) {
    firstAudio.add(o.firstAudio);
    frameLateness.add(o.frameLateness);
    connected += o.connected;
    live += o.live;
    completed += o.completed;
    failed += o.failed;
    turns += o.turns;
    unanswered += o.unanswered;
    underruns += o.underruns;
    framesIn += o.framesIn;
    violations += o.violations;
    for (String f : o.failures) if (failures.size() < 5) failures.add(f);
  }

  /** Counters only, for the progress line (no histogram copy). */
  record Progress(long connected, long live, long completed, long failed, long turns, long unanswered) {
    Progress plus(Progress o) {
      return new Progress(connected + o.connected, live + o.live, completed + o.completed, failed + o.failed,
          turns + o.turns, unanswered + o.unanswered);
    }
  }

  Progress progress() {
    return new Progress(connected, live, completed, failed, turns, unanswered);
  }
}
