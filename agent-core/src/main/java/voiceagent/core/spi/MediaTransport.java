package voiceagent.core.spi;

import voiceagent.audio.AudioFormat;

/**
 * One audio edge of a call: a carrier's media-stream WebSocket, the browser page, a pair of WAV files, or an embedding
 * application's own media. The call session reads the caller's audio from it and writes the agent's paced audio,
 * playback marks and clears to it.
 *
 * <p>Lifecycle: created by the edge, handed to the session, {@link #start started} once by the session on the call's
 * context; from then on the transport reports inbound events to the {@link TransportSink} and the session calls the
 * outbound methods, until either side hangs up. After {@link #hangUp} or {@link TransportSink#onHangUp} nothing more
 * is sent or reported.
 *
 * <p>Thread contract: every method is called by the session on the call's context, and the transport reports every
 * sink event on that same context (a transport whose I/O runs elsewhere hops there with {@code runOnContext}). The
 * outbound methods must not block: they queue or write and return.
 */
public interface MediaTransport {

  /** The format of the caller's audio as the transport delivers it (carriers: μ-law 8 kHz, Vonage: L16). */
  AudioFormat inputFormat();

  /**
   * The format the transport plays. The session asks Lightning for this sample rate and encodes by table (μ-law)
   * when the encoding differs, so the telephony path never resamples.
   */
  AudioFormat outputFormat();

  /**
   * Whether the far end reports played marks and cleared buffers ({@link TransportSink#onMarkPlayed},
   * {@link TransportSink#onCleared}). When false (Vonage, some embedders) the session synthesises both from its
   * pacing clock: audio counts as played when its playback time has passed.
   */
  boolean acknowledgesPlayback();

  /** Starts delivering inbound events to {@code sink}; called once, on the call's context. */
  void start(TransportSink sink);

  /**
   * Sends {@code len} bytes of agent audio in {@link #outputFormat()} (the session sends 20 ms frames, paced). The
   * bytes are only valid during the call: the transport encodes or copies them before it returns.
   */
  void sendAudio(byte[] data, int off, int len);

  /** Labels the playback position after the audio sent so far; the far end reports it played with the same name. */
  void sendMark(String name);

  /** Drops every piece of audio queued at the far end (barge-in); the far end reports {@link TransportSink#onCleared}. */
  void clear();

  /** Ends the call from the agent's side (goodbye played, idle timeout, terminal tool, shutdown). Idempotent. */
  void hangUp(String reason);

  /** What a transport reports to its session. Thread contract: called on the call's context only. */
  interface TransportSink {

    /** Caller audio in {@link #inputFormat()}; the bytes are only valid during the call (the session copies). */
    void onAudio(byte[] data, int off, int len);

    /** The audio before mark {@code name} has played. Marks the session never sent, or cleared, are ignored. */
    void onMarkPlayed(String name);

    /** The far end dropped its queued audio after {@link #clear()}. */
    void onCleared();

    /** The caller pressed keys ({@code 0-9 * # A-D}), one or more digits. */
    void onDtmf(String digits);

    /** The far end ended the call (caller hung up, stream stopped, socket closed). */
    void onHangUp(String reason);
  }
}
