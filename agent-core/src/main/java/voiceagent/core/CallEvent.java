package voiceagent.core;

import java.math.BigDecimal;

/**
 * What a call reports, in order: what the caller said, what the agent spoke and when it played, tools, interruptions,
 * each turn's latency and cost, and exactly one {@link CallEnded} last.
 *
 * <p>{@code atMillis} is the call's own timeline: milliseconds since the call started, on the agent's clock.
 *
 * <p>Thread contract: immutable values.
 */
public sealed interface CallEvent {

  /** Milliseconds since the call started. */
  long atMillis();

  /** Why the agent spoke. */
  enum SpeechKind { GREETING, REPLY, FILLER, ESCALATION, FALLBACK, IDLE_PROMPT, GOODBYE, RESUMED }

  /**
   * The call is running: the audio paths it chose. {@code inboundPath} and {@code outboundPath} say what is done to
   * each frame ({@code passthrough}, {@code mulaw-table}, {@code resample 24000->8000}, ...).
   */
  record CallStarted(long atMillis, String callId, String inboundPath, String outboundPath) implements CallEvent {}

  /** The local voice-activity detector heard the caller start speaking. */
  record UserStartedSpeaking(long atMillis) implements CallEvent {}

  /** The local voice-activity detector heard the caller stop; {@code finalize} was sent to Pulse. */
  record UserStoppedSpeaking(long atMillis) implements CallEvent {}

  /** The current segment of the caller's speech so far (replaces the previous partial). */
  record TranscriptPartial(long atMillis, String text) implements CallEvent {}

  /** A final transcript segment. */
  record TranscriptFinal(long atMillis, String text) implements CallEvent {}

  /** The caller's utterance ended and a turn started for it. */
  record TurnStarted(long atMillis, int turn, String userText) implements CallEvent {}

  /** Lightning delivered all the audio of a piece of agent speech ({@code audioMillis} of it; 0 when it failed). */
  record SpeechSynthesized(long atMillis, int turn, String text, SpeechKind kind, long audioMillis)
      implements CallEvent {}

  /** The first frame of a piece of agent speech was sent to the transport. */
  record SpeechStarted(long atMillis, int turn, String text, SpeechKind kind) implements CallEvent {}

  /** A piece of agent speech has played to its end (its mark came back, or the pacing clock says so). */
  record SpeechPlayed(long atMillis, int turn, String text, SpeechKind kind) implements CallEvent {}

  /** The model called a tool. */
  record ToolCallStarted(long atMillis, int turn, String callId, String name, String arguments) implements CallEvent {}

  /** A tool call finished; {@code error} results go to the model as they are. */
  record ToolCallFinished(long atMillis, int turn, String callId, String name, String result, boolean error,
      long durationMillis) implements CallEvent {}

  /**
   * The caller talked over the agent: generation and speech stopped. {@code heardText} is what the caller heard of
   * the interrupted reply (cut to the last word played), as written to the history.
   */
  record Interrupted(long atMillis, int turn, String heardText, String unheardText) implements CallEvent {}

  /** No words followed an interruption within the grace period (a cough, "mm-hm"): the agent resumed. */
  record InterruptionResumed(long atMillis, int turn, String resumedText) implements CallEvent {}

  /** The caller pressed keys. */
  record DtmfReceived(long atMillis, String digits) implements CallEvent {}

  /**
   * One turn's latency, each hop in milliseconds (-1 when the hop did not happen): end of the caller's speech (local
   * VAD) to the STT final, to the turn's start (endpointing wait), to the first Electron token, to the first speech
   * segment, to the first TTS audio, to the first frame sent, to the first frame played. {@code runtimeMillis} is the
   * runtime's own share of end of speech → first frame sent: everything not spent waiting on Pulse, the endpointing
   * policy, Electron or Lightning ({@code runtimeMicros}: the same, finer).
   */
  record TurnLatency(long atMillis, int turn, long sttFinalMillis, long endpointingMillis, long firstTokenMillis,
      long firstSegmentMillis, long firstAudioMillis, long firstFrameSentMillis, long firstFramePlayedMillis,
      long totalToFirstFrameMillis, long runtimeMillis, long runtimeMicros) implements CallEvent {}

  /** One Electron request's tokens and cost; {@code cacheRatio} is cached / prompt tokens. */
  record UsageRecorded(long atMillis, int turn, int promptTokens, int completionTokens, int cachedTokens,
      double cacheRatio, BigDecimal costUsd) implements CallEvent {}

  /** A turn ended; {@code outcome} as {@link AgentEvent.TurnFinished}, or {@code interrupted}. */
  record TurnEnded(long atMillis, int turn, String outcome) implements CallEvent {}

  /**
   * The call is over. Terminal.
   *
   * @param reason          {@code caller_hang_up}, {@code agent_hang_up}, {@code idle}, {@code hang_up_tool},
   *                        {@code closed}, {@code failed: ...}
   * @param framesSent      agent audio frames sent
   * @param underruns       times the transport ran dry in the middle of agent speech
   * @param maxJitterMicros largest deviation of the pacing tick from its 20 ms period while audio was playing
   */
  record CallEnded(long atMillis, String reason, int turns, BigDecimal costUsd, long framesSent, long underruns,
      long maxJitterMicros) implements CallEvent {}
}
