package voiceagent.audio;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import voiceagent.audio.internal.lightning.DefaultLightningClient;
import voiceagent.common.Clock;

/**
 * Client of Smallest AI Lightning text-to-speech: a streaming WebSocket per call, plus HTTP and SSE fallbacks for
 * fixed prompts. Audio is always signed 16-bit little-endian mono PCM at the requested rate: ask for the transport's
 * rate ({@link LightningConfig#supportsSampleRate}) and encode μ-law in the transport.
 *
 * <p>Thread contract: thread-safe; one per Vert.x instance, shared by all calls. Streams and listeners run on the
 * context that called {@link #open}.
 */
public interface LightningClient {

  static LightningClient create(Vertx vertx, LightningConfig config, Clock clock) {
    return new DefaultLightningClient(vertx, config, clock);
  }

  LightningConfig config();

  /**
   * Opens a stream whose socket is connected before the future completes (call it when the call starts, on the
   * session's context). Fails with {@code AUTHENTICATION}, {@code RATE_LIMITED}, {@code CONNECTIVITY}, ...
   */
  Future<LightningStream> open(int sampleRate, LightningListener listener);

  /**
   * Synthesizes {@code text} over HTTP and returns the whole PCM16 audio. Text longer than Lightning's 250 characters
   * per request is split at sentence, clause or word boundaries and sent as requests in turn.
   */
  Future<byte[]> synthesizeHttp(String text, int sampleRate);

  /**
   * Synthesizes {@code text} over SSE, delivering {@link LightningEvent.AudioChunk}s and then the terminal event to
   * {@code listener}; the future completes with the same {@link LightningEvent.Completed}, or fails. Longer text is
   * split as for {@link #synthesizeHttp}; the listener sees the audio of every request in order and one completion.
   */
  Future<LightningEvent.Completed> synthesizeSse(String requestId, String text, int sampleRate,
      LightningListener listener);

  /** Closes the HTTP and WebSocket clients; open streams break. */
  Future<Void> close();
}
