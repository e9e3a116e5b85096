package voiceagent.audio.internal.lightning;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningListener;
import voiceagent.audio.LightningStream;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;

/**
 * The {@link LightningClient}: one WebSocket client and one HTTP client shared by every call.
 *
 * <p>Thread contract: immutable after construction, thread-safe; Vert.x clients are safe to share.
 */
public final class DefaultLightningClient implements LightningClient {
  /** Base64 audio frames of a few hundred ms are well under this; the default 64 KiB frame limit is too tight. */
  private static final int MAX_WS_MESSAGE = 4 * 1024 * 1024;
  /** HTTP synthesis of a 250-character request takes a few seconds; a silent response this long is broken. */
  private static final long HTTP_IDLE_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final LightningConfig config;
  private final Clock clock;
  private final WebSocketClient webSockets;
  private final HttpClient http;

  public DefaultLightningClient(Vertx vertx, LightningConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    // A socket or two per call: Vert.x's default of 50 WebSockets per endpoint would queue the calls past 50.
    this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(MAX_WS_MESSAGE).setMaxMessageSize(MAX_WS_MESSAGE).setMaxConnections(100_000));
    this.http = vertx.createHttpClient(new HttpClientOptions());
  }

  @Override
  public LightningConfig config() {
    return config;
  }

  @Override
  public Future<LightningStream> open(int sampleRate, LightningListener listener) {
    try {
      LightningWire.requireSampleRate(sampleRate);
    } catch (AgentException e) {
      return Future.failedFuture(e);
    }
    Context context = vertx.getOrCreateContext();
    Promise<LightningStream> promise = Promise.promise();
    context.runOnContext(v ->
        new DefaultLightningStream(this::connect, config, clock, context, sampleRate, listener).start()
            .onComplete(promise));
    return promise.future();
  }

  private Future<WebSocket> connect() {
    URI uri = config.webSocketUri();
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setAbsoluteURI(uri.toString())
        .setConnectTimeout(config.connectTimeoutMillis())
        .setTimeout(config.connectTimeoutMillis());
    if (config.apiKey() != null) options.putHeader("Authorization", "Bearer " + config.apiKey().reveal());
    String where = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    return webSockets.connect(options).recover(e -> Future.failedFuture(LightningErrors.fromConnect(e, where)));
  }

  /** Text longer than one request allows is sent as several requests, one after the other, audio concatenated. */
  @Override
  public Future<byte[]> synthesizeHttp(String text, int sampleRate) {
    Future<ByteArrayOutputStream> audio = Future.succeededFuture(new ByteArrayOutputStream());
    for (String piece : pieces(text)) {
      audio = audio.compose(out -> httpPiece(piece, sampleRate).map(pcm -> {
        out.writeBytes(pcm);
        return out;
      }));
    }
    return audio.map(ByteArrayOutputStream::toByteArray);
  }

  private Future<byte[]> httpPiece(String text, int sampleRate) {
    return post(config.httpPath(), null, text, sampleRate, "audio/wav").compose(resp -> resp.body().compose(body -> {
      if (resp.statusCode() != 200) {
        return Future.failedFuture(LightningErrors.fromHttp(resp.statusCode(), body.toString(),
            resp.getHeader("X-Request-Id")));
      }
      try {
        return Future.succeededFuture(pcm16(body.getBytes(), sampleRate));
      } catch (AgentException e) {
        return Future.failedFuture(e);
      }
    }));
  }

  /**
   * Text longer than one request allows is sent as several requests, one after the other; the listener sees their
   * audio in order and one {@link LightningEvent.Completed} for the whole text.
   */
  @Override
  public Future<LightningEvent.Completed> synthesizeSse(String requestId, String text, int sampleRate,
      LightningListener listener) {
    LightningListener audioOnly = event -> {
      if (!(event instanceof LightningEvent.Completed)) listener.onEvent(event);
    };
    Future<LightningEvent.Completed> all = Future.succeededFuture(new LightningEvent.Completed(requestId, -1, 0, 0));
    for (String piece : pieces(text)) {
      all = all.compose(before -> ssePiece(requestId, piece, sampleRate, audioOnly).map(done ->
          new LightningEvent.Completed(requestId, before.firstAudioMillis() >= 0 ? before.firstAudioMillis()
              : done.firstAudioMillis(), before.characters() + done.characters(),
              before.audioBytes() + done.audioBytes())));
    }
    return all
        .onSuccess(listener::onEvent)
        .recover(e -> {
          AgentException error = e instanceof AgentException a ? a
              : new AgentException(ErrorKind.CONNECTIVITY, LightningWire.SERVICE,
                  "Lightning SSE response broke: " + e.getMessage(), true, null, null, requestId, e);
          listener.onEvent(new LightningEvent.Failed(requestId, error));
          return Future.failedFuture(error);
        });
  }

  private Future<LightningEvent.Completed> ssePiece(String requestId, String text, int sampleRate,
      LightningListener listener) {
    return post(config.ssePath(), LightningWire.requireRequestId(requestId), text, sampleRate, "text/event-stream")
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().compose(body -> Future.failedFuture(
                LightningErrors.fromHttp(resp.statusCode(), body.toString(), resp.getHeader("X-Request-Id"))));
          }
          return new SseSynthesis(requestId, sampleRate, text.length(), listener, clock).run(resp);
        });
  }

  /** The requests a text needs; blank text is one blank piece, which {@link #post} refuses with a clear message. */
  private static List<String> pieces(String text) {
    List<String> pieces = text == null || text.isBlank() ? List.of() : TextSplitter.split(text, TextSplitter.MAX_CHARS);
    return pieces.isEmpty() ? Collections.singletonList(text) : pieces;
  }

  private Future<HttpClientResponse> post(String path, String requestId, String text, int sampleRate, String accept) {
    try {
      LightningWire.requireSampleRate(sampleRate);
      if (text == null || text.isBlank()) {
        throw new AgentException(ErrorKind.INVALID_REQUEST, LightningWire.SERVICE, "text=\"\": nothing to synthesize");
      }
    } catch (AgentException e) {
      return Future.failedFuture(e);
    }
    URI uri = config.httpUri(path);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(uri.toString())
        .setConnectTimeout(config.connectTimeoutMillis())
        .setIdleTimeout(HTTP_IDLE_TIMEOUT_MILLIS)
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", accept);
    if (config.apiKey() != null) options.putHeader("Authorization", "Bearer " + config.apiKey().reveal());
    String body = LightningWire.httpBody(config, sampleRate, requestId, text).encode();
    return http.request(options)
        .compose(req -> req.send(body))
        .recover(e -> Future.failedFuture(e instanceof AgentException a ? a
            : new AgentException(ErrorKind.CONNECTIVITY, LightningWire.SERVICE,
                "cannot reach Lightning at " + uri + ": " + e.getMessage(), true, null, null, requestId, e)));
  }

  /** The body as raw PCM16: servers may wrap it in a WAV header whatever {@code output_format} says. */
  private static byte[] pcm16(byte[] body, int sampleRate) {
    if (body.length < 4 || body[0] != 'R' || body[1] != 'I' || body[2] != 'F' || body[3] != 'F') {
      return (body.length & 1) == 0 ? body : Arrays.copyOf(body, body.length - 1);
    }
    WavFile.Audio wav = WavFile.read(body);
    AudioFormat expected = new AudioFormat(AudioFormat.Encoding.PCM16_LE, sampleRate, 1);
    if (!wav.format().equals(expected)) {
      throw new AgentException(ErrorKind.PROTOCOL, LightningWire.SERVICE,
          "Lightning HTTP audio format=" + wav.format() + ", expected " + expected);
    }
    return wav.data();
  }

  @Override
  public Future<Void> close() {
    return Future.all(webSockets.close(), http.close()).mapEmpty();
  }
}
