package voiceagent.core.config;

import voiceagent.audio.VadConfig;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;

/**
 * How a call session behaves around the turns: pacing, turn detection, interruptions, greeting, idle handling and
 * goodbye. Read from the {@code session:} section of {@code voice-agent.yaml}.
 *
 * <p>Thread contract: immutable.
 *
 * @param leadMillis                 agent audio kept queued at the transport ahead of playback (pacing lead); small,
 *                                   so that {@code clear} takes effect at once and the heard position stays exact
 * @param vad                        the local voice-activity detector that triggers {@code finalize} and barge-in
 * @param listening                  turn policy while the agent is silent and waiting
 * @param thinking                   turn policy while a turn runs and nothing has been played yet
 * @param speaking                   turn policy while the agent's audio plays
 * @param falseInterruptionMillis    after an interruption, how long to wait for words; none means a cough or
 *                                   "mm-hm", and the agent resumes where it stopped; 0 disables resuming
 * @param clearedTimeoutMillis       longest wait for the transport's {@code cleared} before the heard text is committed
 *                                   from the pacing cursor
 * @param greeting                   spoken when the call starts, without waiting for the caller; null for none
 * @param idlePrompt                 spoken after {@code idlePromptMillis} of silence following played agent speech
 * @param idlePromptMillis           0 disables the idle prompt
 * @param idleHangUpMillis           silence after the idle prompt played before the agent says goodbye and hangs up;
 *                                   0 never hangs up
 * @param goodbye                    spoken before the agent hangs up (idle, {@code end_call}, {@code Call.hangUp});
 *                                   the hang-up waits until it played; null hangs up at once
 * @param hangUpTool                 name of the tool that ends the call once it ran and the turn's speech played;
 *                                   mark it {@code terminal()} so that it runs only after the speech before it; null
 *                                   for none
 * @param dtmfToModel                whether DTMF digits also reach the model as a user message
 */
public record SessionConfig(
    int leadMillis,
    VadConfig vad,
    TurnPolicy listening,
    TurnPolicy thinking,
    TurnPolicy speaking,
    int falseInterruptionMillis,
    int clearedTimeoutMillis,
    String greeting,
    String idlePrompt,
    long idlePromptMillis,
    long idleHangUpMillis,
    String goodbye,
    String hangUpTool,
    boolean dtmfToModel) {

  /**
   * When speech counts in one state, and how long to wait for more after a final.
   *
   * <p>Thread contract: immutable.
   *
   * @param minSpeechMillis     speech (local VAD) needed to count: in listening to start a user turn, in thinking and
   *                            speaking to interrupt the agent
   * @param minWords            words of partials that count as well (0: the speech time alone decides)
   * @param endpointingMinMillis wait after a final that reads as a complete utterance (0: the turn ends at once)
   * @param endpointingMaxMillis longest wait after a final that looks unfinished (a trailing conjunction, comma or
   *                            filler word) for more speech
   */
  public record TurnPolicy(int minSpeechMillis, int minWords, int endpointingMinMillis, int endpointingMaxMillis) {
    public TurnPolicy {
      range("min_speech_ms", minSpeechMillis, 0, 10_000);
      range("min_words", minWords, 0, 50);
      range("endpointing_min_ms", endpointingMinMillis, 0, 10_000);
      range("endpointing_max_ms", endpointingMaxMillis, endpointingMinMillis, 30_000);
    }

    static TurnPolicy from(ConfigTree t, TurnPolicy d) {
      return new TurnPolicy(t.integer("min_speech_ms", d.minSpeechMillis), t.integer("min_words", d.minWords),
          t.integer("endpointing_min_ms", d.endpointingMinMillis),
          t.integer("endpointing_max_ms", d.endpointingMaxMillis));
    }
  }

  /** Listening: any speech counts; a complete final ends the turn at once, an unfinished one waits up to 800 ms. */
  public static final TurnPolicy LISTENING = new TurnPolicy(0, 0, 0, 800);
  /** Thinking: 200 ms of speech or one word interrupts. */
  public static final TurnPolicy THINKING = new TurnPolicy(200, 1, 0, 800);
  /** Speaking: 300 ms of speech or two words interrupt (the agent's own echo and backchannels are short). */
  public static final TurnPolicy SPEAKING = new TurnPolicy(300, 2, 0, 800);

  public SessionConfig {
    range("session.lead_ms", leadMillis, 20, 1000);
    if (vad == null) vad = VadConfig.DEFAULTS;
    if (listening == null) listening = LISTENING;
    if (thinking == null) thinking = THINKING;
    if (speaking == null) speaking = SPEAKING;
    range("session.false_interruption_ms", falseInterruptionMillis, 0, 10_000);
    range("session.cleared_timeout_ms", clearedTimeoutMillis, 1, 10_000);
    if (idlePromptMillis < 0) throw AgentException.config("session.idle.prompt_after_ms", idlePromptMillis, "negative");
    if (idleHangUpMillis < 0) throw AgentException.config("session.idle.hang_up_after_ms", idleHangUpMillis, "negative");
    if (idlePromptMillis > 0 && blank(idlePrompt)) {
      throw AgentException.config("session.idle.prompt", idlePrompt, "required when idle.prompt_after_ms > 0");
    }
    greeting = blank(greeting) ? null : greeting;
    idlePrompt = blank(idlePrompt) ? null : idlePrompt;
    goodbye = blank(goodbye) ? null : goodbye;
    hangUpTool = blank(hangUpTool) ? null : hangUpTool;
  }

  /** 100 ms lead, default VAD and policies, 1 s false-interruption grace, no greeting, no idle handling, no goodbye. */
  public static SessionConfig defaults() {
    return new SessionConfig(100, VadConfig.DEFAULTS, LISTENING, THINKING, SPEAKING, 1000, 500, null, null, 0, 0, null,
        null, false);
  }

  /**
   * Reads the {@code session} section: {@code lead_ms}, {@code false_interruption_ms}, {@code cleared_timeout_ms},
   * {@code greeting}, {@code goodbye}, {@code hang_up_tool}, {@code dtmf_to_model}, {@code idle.{prompt,
   * prompt_after_ms, hang_up_after_ms}}, {@code vad.{start_threshold_dbfs, stop_threshold_dbfs, start_ms, stop_ms}}
   * and {@code policies.{listening,thinking,speaking}.{min_speech_ms, min_words, endpointing_min_ms,
   * endpointing_max_ms}}; absent keys keep their defaults.
   */
  public static SessionConfig from(ConfigTree session) {
    SessionConfig d = defaults();
    ConfigTree v = session.section("vad");
    VadConfig vad = new VadConfig(v.decimal("start_threshold_dbfs", d.vad.startThresholdDbfs()),
        v.decimal("stop_threshold_dbfs", d.vad.stopThresholdDbfs()), v.integer("start_ms", d.vad.startMillis()),
        v.integer("stop_ms", d.vad.stopMillis()));
    ConfigTree p = session.section("policies");
    ConfigTree idle = session.section("idle");
    return new SessionConfig(session.integer("lead_ms", d.leadMillis), vad,
        TurnPolicy.from(p.section("listening"), d.listening), TurnPolicy.from(p.section("thinking"), d.thinking),
        TurnPolicy.from(p.section("speaking"), d.speaking),
        session.integer("false_interruption_ms", d.falseInterruptionMillis),
        session.integer("cleared_timeout_ms", d.clearedTimeoutMillis), session.string("greeting", null),
        idle.string("prompt", null), idle.longValue("prompt_after_ms", 0), idle.longValue("hang_up_after_ms", 0),
        session.string("goodbye", null), session.string("hang_up_tool", null),
        session.bool("dtmf_to_model", d.dtmfToModel));
  }

  public SessionConfig withGreeting(String text) {
    return new SessionConfig(leadMillis, vad, listening, thinking, speaking, falseInterruptionMillis,
        clearedTimeoutMillis, text, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, hangUpTool, dtmfToModel);
  }

  public SessionConfig withIdle(String prompt, long promptAfterMillis, long hangUpAfterMillis) {
    return new SessionConfig(leadMillis, vad, listening, thinking, speaking, falseInterruptionMillis,
        clearedTimeoutMillis, greeting, prompt, promptAfterMillis, hangUpAfterMillis, goodbye, hangUpTool,
        dtmfToModel);
  }

  public SessionConfig withGoodbye(String text) {
    return new SessionConfig(leadMillis, vad, listening, thinking, speaking, falseInterruptionMillis,
        clearedTimeoutMillis, greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, text, hangUpTool, dtmfToModel);
  }

  public SessionConfig withHangUpTool(String toolName) {
    return new SessionConfig(leadMillis, vad, listening, thinking, speaking, falseInterruptionMillis,
        clearedTimeoutMillis, greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, toolName,
        dtmfToModel);
  }

  public SessionConfig withPolicies(TurnPolicy listen, TurnPolicy think, TurnPolicy speak) {
    return new SessionConfig(leadMillis, vad, listen, think, speak, falseInterruptionMillis, clearedTimeoutMillis,
        greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, hangUpTool, dtmfToModel);
  }

  public SessionConfig withInterruptions(int falseInterruptionGraceMillis, int clearedWaitMillis) {
    return new SessionConfig(leadMillis, vad, listening, thinking, speaking, falseInterruptionGraceMillis,
        clearedWaitMillis, greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, hangUpTool,
        dtmfToModel);
  }

  public SessionConfig withLeadMillis(int millis) {
    return new SessionConfig(millis, vad, listening, thinking, speaking, falseInterruptionMillis, clearedTimeoutMillis,
        greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, hangUpTool, dtmfToModel);
  }

  public SessionConfig withVad(VadConfig v) {
    return new SessionConfig(leadMillis, v, listening, thinking, speaking, falseInterruptionMillis,
        clearedTimeoutMillis, greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, hangUpTool,
        dtmfToModel);
  }

  public SessionConfig withDtmfToModel(boolean toModel) {
    return new SessionConfig(leadMillis, vad, listening, thinking, speaking, falseInterruptionMillis,
        clearedTimeoutMillis, greeting, idlePrompt, idlePromptMillis, idleHangUpMillis, goodbye, hangUpTool, toModel);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static void range(String path, long v, long min, long max) {
    if (v < min || v > max) throw AgentException.config(path, v, "expected " + min + ".." + max);
  }
}
