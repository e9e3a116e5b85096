package voiceagent.audio;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.internal.pulse.DefaultPulseStream;
import voiceagent.audio.internal.pulse.PulseConnector;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;

/**
 * The client of Smallest AI Pulse streaming speech-to-text: opens one {@link PulseStream} per call over a WebSocket
 * ({@code <baseUrl><path>?model=pulse&language=..&encoding=..&sample_rate=..}) with the key as a Bearer header.
 *
 * <p>Open the stream when the call starts, not at the first speech, so the first words are not delayed by the
 * connect. A refused upgrade fails the returned future without retry (401/403 {@code AUTHENTICATION}, 400
 * {@code INVALID_REQUEST}); once open, the stream reconnects by itself after an unexpected close.
 *
 * <p>Thread contract: immutable and shared by all sessions of one Vert.x instance; {@link #open} must be called on the
 * session's context, where the stream's handlers then run.
 */
public final class PulseClient {
  private static final Logger log = LoggerFactory.getLogger(PulseClient.class);

  private final WebSocketClient client;
  private final PulseConnector connector;
  private final Clock clock;

  private PulseClient(WebSocketClient client, PulseConfig config, Clock clock) {
    this.client = client;
    this.connector = new PulseConnector(client, config);
    this.clock = clock;
  }

  public static PulseClient create(Vertx vertx, PulseConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    WebSocketClientOptions options = new WebSocketClientOptions()
        .setConnectTimeout(config.connectTimeoutMillis())
        // One stream per call: Vert.x's default of 50 WebSockets per endpoint would queue the 51st call's stream.
        .setMaxConnections(100_000)
        // Finals carry whole segments with word lists; 1 MiB leaves room for long ones with diarization.
        .setMaxMessageSize(1 << 20);
    return new PulseClient(vertx.createWebSocketClient(options), config, Objects.requireNonNull(clock, "clock"));
  }

  public PulseConfig config() {
    return connector.config();
  }

  /**
   * Opens a stream for audio in {@code format}: PCM16_LE ({@code linear16}), MULAW or ALAW, mono, at a rate Pulse
   * takes. Fails with {@code CONFIG} for another format, with the mapped kind for a refused upgrade, and with
   * {@code CONNECTIVITY} when the server cannot be reached.
   */
  public Future<PulseStream> open(AudioFormat format, PulseListener listener) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(listener, "listener");
    Context context = Vertx.currentContext();
    if (context == null) {
      return Future.failedFuture(new AgentException(ErrorKind.CONFIG, "pulse",
          "PulseClient.open must be called on the session's Vert.x context"));
    }
    return connector.connect(format).map(ws -> {
      log.atInfo().addKeyValue("endpoint", connector.endpoint()).addKeyValue("format", format).log("pulse stream opened");
      return new DefaultPulseStream(connector, format, listener, clock, context, ws);
    });
  }

  /** Closes the underlying WebSocket client; open streams are closed with it. */
  public Future<Void> close() {
    return client.close();
  }
}
