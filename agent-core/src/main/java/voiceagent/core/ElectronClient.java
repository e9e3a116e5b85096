package voiceagent.core;

import io.vertx.core.Vertx;
import java.util.function.Consumer;
import voiceagent.common.Clock;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.internal.electron.DefaultElectronClient;

/**
 * Client of Electron's OpenAI-compatible streaming {@code chat/completions}, one per Vert.x instance and API key,
 * shared by every call. It streams with usage included, queues behind a per-key concurrency governor, retries only
 * 429/502/503 and connection failures before anything was streamed, and enforces connect, first-token and idle
 * deadlines.
 *
 * <p>Thread contract: thread-safe. Events of a request are delivered on the Vert.x context that called
 * {@link #stream}, in order, never concurrently.
 */
public interface ElectronClient {

  static ElectronClient create(Vertx vertx, ElectronConfig config, Clock clock) {
    return new DefaultElectronClient(vertx, config, clock);
  }

  /**
   * Starts one streaming request.
   *
   * @param request  the conversation and options; {@code stream} and {@code stream_options.include_usage} are
   *                 always sent
   * @param log      ids every log line about this request carries ({@code call_id}, {@code turn_id}, ...)
   * @param listener receives the events of {@link ElectronEvent} on the calling context
   */
  ElectronStream stream(ChatRequest request, CallLog log, Consumer<ElectronEvent> listener);

  /** Requests waiting for a concurrency slot right now. */
  int queueDepth();

  /** Requests holding a concurrency slot right now. */
  int inFlight();

  /** Closes the HTTP client; requests in flight fail. */
  void close();
}
