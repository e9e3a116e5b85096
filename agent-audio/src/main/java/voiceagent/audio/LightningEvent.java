package voiceagent.audio;

import voiceagent.common.AgentException;

/**
 * What a Lightning synthesis reports, in order: {@link AudioChunk}s interleaved with {@link WordTimestamp}s, then
 * exactly one terminal event, {@link Completed} or {@link Failed}. A cancelled synthesis reports nothing after the
 * cancel call. {@link Reconnected} belongs to the stream, not to a synthesis.
 *
 * <p>Thread contract: immutable values.
 */
public sealed interface LightningEvent {

  /**
   * Decoded audio: signed 16-bit little-endian mono PCM at {@code sampleRate}. The byte count is always even: an odd
   * byte from the wire is carried into the next chunk.
   */
  record AudioChunk(String requestId, byte[] pcm16, int sampleRate) implements LightningEvent {}

  /** One word of the input and when it is spoken, in seconds from the start of this request's audio. */
  record WordTimestamp(String requestId, String word, double start, double end) implements LightningEvent {}

  /**
   * The synthesis finished. Terminal.
   *
   * @param firstAudioMillis time to first audio byte, from the first text sent to the first chunk; -1 with no audio
   * @param characters       characters of text synthesized (the billed quantity)
   * @param audioBytes       PCM bytes delivered
   */
  record Completed(String requestId, long firstAudioMillis, int characters, long audioBytes)
      implements LightningEvent {}

  /** The synthesis failed; audio already delivered stays valid. Terminal. */
  record Failed(String requestId, AgentException error) implements LightningEvent {}

  /** The stream opened a new socket after the previous one closed ({@code reason}: cancel, complete, idle, ...). */
  record Reconnected(String reason) implements LightningEvent {}
}
