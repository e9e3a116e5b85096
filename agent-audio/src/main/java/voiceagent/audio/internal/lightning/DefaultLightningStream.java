package voiceagent.audio.internal.lightning;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningListener;
import voiceagent.audio.LightningStream;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;

/**
 * The warm WebSocket of one call. Frames of a socket this stream has let go of (cancel, timeout) are dropped by
 * identity, and frames naming another request ({@code external_request_id}) are dropped by id, so a cancelled
 * synthesis never leaks late audio.
 *
 * <p>Thread contract: confined to {@link #context}; public methods hop there.
 */
final class DefaultLightningStream implements LightningStream {
  private static final Logger log = LoggerFactory.getLogger(DefaultLightningStream.class);

  private final Supplier<Future<WebSocket>> connector;
  private final LightningConfig config;
  private final Clock clock;
  private final Context context;
  private final Thread loop;
  private final int sampleRate;
  private final LightningListener listener;

  // Every field below is touched only on `loop`.
  private WebSocket socket; // the live socket, or null
  private boolean connecting;
  private boolean socketUseful; // the current socket delivered a frame: worth reopening eagerly when it closes
  private String reopenReason; // why the next socket is a reconnection, or null for the first one
  private boolean idleClosed; // the server closed the last socket for inactivity: reopen lazily
  private boolean closed;
  private DefaultSynthesis active; // the synthesis owning the wire, or null
  private final ArrayDeque<DefaultSynthesis> queue = new ArrayDeque<>();
  private Clock.Cancellable firstAudioTimer;

  DefaultLightningStream(Supplier<Future<WebSocket>> connector, LightningConfig config, Clock clock,
      Context context, int sampleRate, LightningListener listener) {
    this.connector = connector;
    this.config = config;
    this.clock = clock;
    this.context = context;
    this.loop = Thread.currentThread();
    this.sampleRate = sampleRate;
    this.listener = listener;
  }

  /** Opens the first socket; the future fails when it cannot be opened. */
  Future<LightningStream> start() {
    return connect().map(ws -> this);
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public Synthesis begin(String requestId) {
    DefaultSynthesis s = new DefaultSynthesis(this, LightningWire.requireRequestId(requestId));
    onLoop(() -> {
      if (closed) return;
      queue.add(s);
      pump();
    });
    return s;
  }

  @Override
  public Future<Void> close() {
    return Future.<Void>future(p -> onLoop(() -> {
      closed = true;
      cancelTimer();
      active = null;
      queue.clear();
      WebSocket ws = socket;
      socket = null;
      if (ws == null) p.complete();
      else ws.close().onComplete(p);
    }));
  }

  void onLoop(Runnable task) {
    if (Thread.currentThread() == loop) task.run();
    else context.runOnContext(v -> task.run());
  }

  // ---- called by DefaultSynthesis, on the loop

  /** Sends what the active synthesis has, opening a socket first if needed; promotes the next queued one. */
  void pump() {
    assert Thread.currentThread() == loop;
    if (closed) return;
    while (active == null || active.finished) {
      active = queue.poll();
      if (active == null) return;
    }
    if (!active.hasPending()) return;
    if (socket == null) {
      if (!connecting) connect();
      return;
    }
    JsonObject message;
    while ((message = active.nextPending()) != null) {
      socket.writeTextMessage(message.encode());
      active.markSent(message, clock.nanoTime());
      if (message.getBoolean("flush", false)) startFirstAudioTimer(active);
    }
  }

  /** Ends a synthesis on the caller's request; closes the socket if it was on the wire. */
  void cancel(DefaultSynthesis s) {
    assert Thread.currentThread() == loop;
    if (s.finished) return;
    s.finished = true;
    queue.remove(s);
    if (s != active) return;
    active = null;
    cancelTimer();
    if (s.onWire()) dropSocket("cancel");
    pump();
  }

  void finish(DefaultSynthesis s, LightningEvent terminal) {
    if (s.finished) return;
    s.finished = true;
    queue.remove(s);
    if (s == active) {
      active = null;
      cancelTimer();
    }
    emit(terminal);
    pump();
  }

  void emit(LightningEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("event", event.getClass().getSimpleName()).setCause(e).log("lightning listener threw");
    }
  }

  // ---- socket lifecycle

  private Future<WebSocket> connect() {
    connecting = true;
    String reason = reopenReason;
    return connector.get().andThen(ar -> {
      connecting = false;
      if (ar.failed()) {
        AgentException error = (AgentException) ar.cause();
        log.atWarn().addKeyValue("kind", error.kind()).addKeyValue("error", error.getMessage())
            .log("lightning connect failed");
        if (active != null && !active.finished) finish(active, new LightningEvent.Failed(active.requestId, error));
        return;
      }
      WebSocket ws = ar.result();
      if (closed) {
        ws.close();
        return;
      }
      socket = ws;
      socketUseful = false;
      idleClosed = false;
      ws.textMessageHandler(text -> onText(ws, text));
      ws.closeHandler(v -> onClose(ws));
      ws.exceptionHandler(e -> log.atDebug().addKeyValue("error", e.toString()).log("lightning socket error"));
      if (reason != null) emit(new LightningEvent.Reconnected(reason));
      pump();
    });
  }

  /** Lets go of the current socket (its late frames are ignored from now on) and pre-opens a fresh one. */
  private void dropSocket(String reason) {
    WebSocket ws = socket;
    socket = null;
    if (ws != null) ws.close();
    reopenReason = reason;
    if (!connecting) connect();
  }

  private void onClose(WebSocket ws) {
    if (ws != socket) return;
    socket = null;
    Short code = ws.closeStatusCode();
    log.atDebug().addKeyValue("close_code", code).addKeyValue("idle", idleClosed).log("lightning socket closed");
    if (closed) return;
    reopenReason = idleClosed ? "idle" : "closed";
    DefaultSynthesis s = active;
    if (s != null && !s.finished && s.onWire() && s.awaitingServer()) {
      if (!s.resendAfterClose()) {
        finish(s, new LightningEvent.Failed(s.requestId, LightningErrors.closedMidStream(code, s.requestId)));
        return;
      }
    }
    if (active != null && active.hasPending() || socketUseful && !idleClosed) {
      if (!connecting) connect();
    }
  }

  private void onText(WebSocket ws, String text) {
    if (ws != socket) return;
    socketUseful = true;
    LightningWire.Chunk chunk = LightningWire.chunk(text); // the frame of every audio chunk: no JSON tree for it
    if (chunk != null) {
      onChunk(owner(chunk.externalRequestId()), chunk.audio());
      return;
    }
    JsonObject frame;
    try {
      frame = LightningWire.parse(text);
    } catch (AgentException e) {
      if (active != null && active.onWire()) finish(active, new LightningEvent.Failed(active.requestId, e));
      return;
    }
    String status = frame.getString("status", "");
    DefaultSynthesis s = owner(LightningWire.externalRequestId(frame));
    switch (status) {
      case "chunk" -> onChunk(s, LightningWire.audio(frame)); // only a frame the streaming read did not take
      case "word_timestamp" -> {
        JsonObject data = frame.getJsonObject("data", new JsonObject());
        if (s != null) {
          emit(s.word(data.getString("word", ""), data.getDouble("start", 0.0), data.getDouble("end", 0.0)));
        }
      }
      case "complete" -> {
        if (s == null) return;
        if (s.onComplete(sampleRate)) finish(s, s.completed());
        else pump(); // the next request of a long segment goes out now
      }
      case "error" -> onError(frame, s);
      default -> log.atDebug().addKeyValue("status", status).log("lightning frame ignored");
    }
  }

  private void onChunk(DefaultSynthesis s, byte[] audio) {
    if (s == null) return;
    if (!s.requestHasAudio()) cancelTimer();
    s.onAudio(audio, clock.nanoTime(), sampleRate);
  }

  private void onError(JsonObject frame, DefaultSynthesis s) {
    if (LightningErrors.isIdleTimeout(frame)) {
      // The server closes next. Text sent just before the notice crossed it: the close re-sends it on a new socket.
      idleClosed = true;
      log.atDebug().log("lightning idle timeout notice");
      return;
    }
    AgentException error = LightningErrors.fromFrame(frame, s == null ? null : s.requestId);
    log.atWarn().addKeyValue("kind", error.kind()).addKeyValue("error", error.getMessage())
        .addKeyValue("request_id", s == null ? null : s.requestId).log("lightning error frame");
    if (s == null) return;
    // The server may still be working on the failed request: the next one starts on a clean socket.
    dropSocket("error");
    finish(s, new LightningEvent.Failed(s.requestId, error));
  }

  /** The synthesis a frame belongs to: the active one, unless the frame names another request ({@code id}). */
  private DefaultSynthesis owner(String id) {
    if (active == null || active.finished || !active.onWire()) return null;
    return id == null || id.equals(active.requestId) ? active : null;
  }

  private void startFirstAudioTimer(DefaultSynthesis s) {
    cancelTimer();
    if (config.firstAudioTimeoutMillis() <= 0 || s.requestHasAudio()) return;
    firstAudioTimer = clock.schedule(context, config.firstAudioTimeoutMillis(), () -> {
      firstAudioTimer = null;
      if (s != active || s.finished || s.requestHasAudio()) return;
      dropSocket("timeout");
      finish(s, new LightningEvent.Failed(s.requestId, new AgentException(ErrorKind.TIMEOUT, LightningWire.SERVICE,
          "no audio from Lightning " + config.firstAudioTimeoutMillis() + " ms after flush (first_audio_timeout_ms)",
          true, null, null, s.requestId, null)));
    });
  }

  private void cancelTimer() {
    if (firstAudioTimer != null) firstAudioTimer.cancel();
    firstAudioTimer = null;
  }

  LightningConfig config() {
    return config;
  }
}
