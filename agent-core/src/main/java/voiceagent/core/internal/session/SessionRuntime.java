package voiceagent.core.internal.session;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import voiceagent.audio.LightningClient;
import voiceagent.audio.PulseClient;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.internal.turn.AgentRuntime;

/**
 * Everything the calls of one voice agent share: the turn runtime, the session settings, the Pulse and Lightning
 * clients, the pacing ticks, the fixed lines and the session meters.
 *
 * <p>Thread contract: immutable; every component is thread-safe.
 */
public record SessionRuntime(AgentRuntime agent, SessionConfig config, PulseClient pulse, LightningClient lightning,
    Pacers pacers, StaticLines lines, Meters meters) {

  public static SessionRuntime create(AgentRuntime agent, SessionConfig config, PulseClient pulse,
      LightningClient lightning) {
    Meters meters = new Meters(agent.metrics().registry());
    return new SessionRuntime(agent, config, pulse, lightning, new Pacers(agent.clock(), meters::recordJitter),
        new StaticLines(lightning), meters);
  }

  /**
   * Session meters: one timer per latency hop ({@code voice_agent_turn_latency{hop}}), the pacing tick's deviation
   * ({@code voice_agent_pacing_jitter}), underruns and interruptions.
   *
   * <p>Thread contract: thread-safe (Micrometer).
   */
  public static final class Meters {
    private final MeterRegistry registry;
    private final Timer stt;
    private final Timer endpointing;
    private final Timer firstToken;
    private final Timer firstSegment;
    private final Timer firstAudio;
    private final Timer firstFrameSent;
    private final Timer firstFramePlayed;
    private final Timer total;
    private final Timer runtime;
    private final DistributionSummary jitter;

    Meters(MeterRegistry registry) {
      this.registry = registry;
      this.stt = hop("stt_final");
      this.endpointing = hop("endpointing");
      this.firstToken = hop("first_token");
      this.firstSegment = hop("first_segment");
      this.firstAudio = hop("first_audio");
      this.firstFrameSent = hop("first_frame_sent");
      this.firstFramePlayed = hop("first_frame_played");
      this.total = hop("end_of_speech_to_first_frame");
      this.runtime = hop("runtime");
      this.jitter = DistributionSummary.builder("voice_agent_pacing_jitter").baseUnit("microseconds")
          .description("deviation of the pacing tick from its 20 ms period").register(registry);
    }

    private Timer hop(String name) {
      return Timer.builder("voice_agent_turn_latency").tag("hop", name).register(registry);
    }

    void recordJitter(long deviationNanos) {
      jitter.record(deviationNanos / 1000.0);
    }

    void record(TurnTimeline.Hops h) {
      rec(stt, h.stt());
      rec(endpointing, h.endpointing());
      rec(firstToken, h.firstToken());
      rec(firstSegment, h.firstSegment());
      rec(firstAudio, h.firstAudio());
      rec(firstFrameSent, h.firstFrameSent());
      rec(firstFramePlayed, h.firstFramePlayed());
      rec(total, h.total());
      rec(runtime, h.runtime());
    }

    void count(String name, String key, String value) {
      registry.counter(name, key, value).increment();
    }

    private static void rec(Timer t, long nanos) {
      if (nanos >= 0) t.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
