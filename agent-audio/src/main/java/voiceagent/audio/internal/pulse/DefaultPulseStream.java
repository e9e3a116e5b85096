package voiceagent.audio.internal.pulse;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.PulseConfig;
import voiceagent.audio.PulseEvent;
import voiceagent.audio.PulseListener;
import voiceagent.audio.PulseStream;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;

/**
 * The {@link PulseStream}: batches audio, keeps a replay buffer, tracks which audio the server acknowledged, and
 * reconnects after an unexpected close, replaying the unacknowledged audio.
 *
 * <p>Acknowledged audio: everything before the answer point of the latest from-finalize final (the stream position
 * when that {@code finalize} was sent), or before the end of the last word of any other final. A final without words
 * acknowledges nothing, so a reconnect may replay audio twice but never drops it.
 *
 * <p>Thread contract: confined to the session loop that opened it; every method asserts it.
 */
public final class DefaultPulseStream implements PulseStream {
  private static final Logger log = LoggerFactory.getLogger(DefaultPulseStream.class);
  /** The protocol's cap on one binary frame. */
  private static final int MAX_FRAME_BYTES = 8192;

  private enum State { OPEN, RECONNECTING, CLOSING, CLOSED, FAILED }

  private final PulseConnector connector;
  private final PulseConfig config;
  private final AudioFormat format;
  private final PulseListener listener;
  private final Clock clock;
  private final Context context;
  private final Thread loop;
  private final int batchBytes;
  private final ReplayBuffer replay;
  /** Stream positions at which a finalize was asked for and not answered yet, oldest first. */
  private final ArrayDeque<Long> finalizes = new ArrayDeque<>();

  // Every field below is touched only on `loop`.
  private WebSocket ws; // null while reconnecting and once terminal
  private State state = State.OPEN;
  private byte[] batch; // a fresh array per binary frame: once sent it belongs to the socket and the replay buffer
  private int batchLen;
  private long flushed; // stream position after the last byte moved from the batch to the replay buffer
  private long socketStart; // stream position of the current socket's first audio byte
  private long acked;
  private String sessionId;
  private boolean lastReceived;
  private int attempt;
  private AgentException lastError;
  private Clock.Cancellable pingTimer;
  private Clock.Cancellable reconnectTimer;
  private Clock.Cancellable closeTimer;
  private Promise<Void> closed;

  public DefaultPulseStream(PulseConnector connector, AudioFormat format, PulseListener listener, Clock clock,
      Context context, WebSocket ws) {
    this.connector = connector;
    this.config = connector.config();
    this.format = format;
    this.listener = listener;
    this.clock = clock;
    this.context = context;
    this.loop = Thread.currentThread();
    int frame = format.frameSize();
    int batchBytes = Math.min(MAX_FRAME_BYTES, Math.max(frame, format.bytesFor(config.batchMillis())));
    this.batchBytes = batchBytes / frame * frame;
    this.batch = new byte[this.batchBytes];
    this.replay = new ReplayBuffer(format.bytesFor(config.replayBufferMillis()));
    attach(ws);
  }

  private void attach(WebSocket socket) {
    ws = socket;
    socket.textMessageHandler(this::onText);
    socket.closeHandler(v -> onSocketClosed(socket));
    socket.exceptionHandler(e -> log.atDebug().addKeyValue("error", e.toString()).log("pulse socket error"));
    schedulePing();
  }

  @Override
  public void sendAudio(byte[] data, int off, int len) {
    assert Thread.currentThread() == loop;
    if (state == State.CLOSED || state == State.FAILED || closed != null) return;
    while (len > 0) {
      int n = Math.min(len, batch.length - batchLen);
      System.arraycopy(data, off, batch, batchLen, n);
      batchLen += n;
      off += n;
      len -= n;
      if (batchLen == batch.length) flush();
    }
  }

  /** Sends the batch and hands its array to the replay buffer: neither copies it, and nobody writes to it again. */
  private void flush() {
    if (batchLen == 0) return;
    replay.add(batch, batchLen);
    flushed += batchLen;
    if (ws != null) write(batch, 0, batchLen);
    batch = new byte[batchBytes];
    batchLen = 0;
  }

  /** Sends a view of {@code data}, which must not change afterwards (Netty may read it after this returns). */
  private void write(byte[] data, int off, int len) {
    ws.writeBinaryMessage(BufferInternal.buffer(Unpooled.wrappedBuffer(data, off, len)));
  }

  @Override
  public void finalizeTurn() {
    assert Thread.currentThread() == loop;
    if (state != State.OPEN && state != State.RECONNECTING) return;
    flush();
    finalizes.add(flushed);
    if (ws != null) ws.writeTextMessage("{\"type\":\"finalize\"}"); // else it is sent after the replay
  }

  @Override
  public Future<Void> close() {
    assert Thread.currentThread() == loop;
    if (closed != null) return closed.future();
    closed = Promise.promise();
    switch (state) {
      case OPEN -> {
        flush();
        state = State.CLOSING;
        ws.writeTextMessage("{\"type\":\"close_stream\"}");
        closeTimer = clock.schedule(context, config.finalizeTimeoutMillis(), this::closeTimedOut);
      }
      // No socket to ask for the last final: the audio since the drop cannot be transcribed any more.
      case RECONNECTING -> finish(new PulseEvent.Closed(1006), null);
      default -> closed.complete();
    }
    return closed.future();
  }

  private void closeTimedOut() {
    if (state != State.CLOSING || ws == null) return;
    log.atWarn().addKeyValue("session_id", sessionId).addKeyValue("last_received", lastReceived)
        .addKeyValue("timeout_ms", config.finalizeTimeoutMillis()).log("pulse did not close the stream in time");
    ws.close();
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public long bytesSent() {
    return flushed;
  }

  private void onText(String text) {
    if (state == State.CLOSED || state == State.FAILED) return;
    double offset = (double) socketStart / format.bytesPerSecond();
    switch (PulseFrames.parse(text, offset)) {
      case PulseFrames.Inbound.Event(PulseEvent event, String session) -> {
        if (session != null) sessionId = session;
        if (event instanceof PulseEvent.Final f) onFinal(f, offset);
        emit(event);
      }
      case PulseFrames.Inbound.Error(AgentException error) -> {
        lastError = error;
        log.atWarn().addKeyValue("session_id", sessionId).addKeyValue("code", error.code())
            .addKeyValue("error", error.getMessage()).log("pulse error frame");
        if (!error.retriable()) fail(error);
      }
      case PulseFrames.Inbound.Ignored(String reason) ->
          log.atDebug().addKeyValue("reason", reason).log("pulse frame ignored");
    }
  }

  private void onFinal(PulseEvent.Final f, double offset) {
    if (f.last()) {
      lastReceived = true;
      acked = flushed;
    } else if (f.fromFinalize() && !finalizes.isEmpty()) {
      acked = Math.max(acked, finalizes.poll());
    } else if (!f.words().isEmpty()) {
      double localEnd = f.words().get(f.words().size() - 1).end() - offset;
      long end = socketStart + (long) (localEnd * format.sampleRate()) * format.frameSize();
      acked = Math.max(acked, Math.min(end, flushed));
    }
  }

  private void onSocketClosed(WebSocket socket) {
    if (socket != ws) return; // a socket given up on earlier
    ws = null;
    cancel(pingTimer);
    Short code = socket.closeStatusCode();
    int closeCode = code == null ? 1006 : code;
    if (state == State.CLOSING || (state == State.OPEN && lastReceived)) {
      finish(new PulseEvent.Closed(closeCode), null);
      return;
    }
    if (state != State.OPEN) return;
    lastError = closeCode == 1008
        ? new AgentException(ErrorKind.RATE_LIMITED, PulseFrames.SERVICE, "pulse closed the socket with 1008: too many"
            + " open sessions for the plan", true, closeCode, null, sessionId, null)
        : new AgentException(ErrorKind.CONNECTIVITY, PulseFrames.SERVICE, "pulse closed the socket unexpectedly with "
            + closeCode, true, closeCode, null, sessionId, null);
    log.atWarn().addKeyValue("session_id", sessionId).addKeyValue("close_code", closeCode)
        .addKeyValue("unacked_bytes", flushed - acked).log("pulse socket closed unexpectedly, reconnecting");
    state = State.RECONNECTING; // unanswered finalizes stay queued and are sent again during the replay
    attempt = 0;
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (attempt >= config.maxReconnectAttempts()) {
      fail(new AgentException(lastError.kind(), PulseFrames.SERVICE, "pulse reconnect gave up after " + attempt
          + " attempts: " + lastError.getMessage(), false, lastError.status(), lastError.code(), sessionId, lastError));
      return;
    }
    long delay = config.reconnectBackoffMillis() << Math.min(attempt, 20);
    attempt++;
    reconnectTimer = clock.schedule(context, delay, this::reconnect);
  }

  private void reconnect() {
    if (state != State.RECONNECTING) return;
    int thisAttempt = attempt;
    connector.connect(format).onComplete(ar -> {
      if (state != State.RECONNECTING) { // closed while connecting
        if (ar.succeeded()) ar.result().close();
        return;
      }
      if (ar.failed()) {
        AgentException e = (AgentException) ar.cause();
        log.atWarn().addKeyValue("attempt", thisAttempt).addKeyValue("error", e.getMessage()).log("pulse reconnect failed");
        if (!e.retriable()) fail(e);
        else {
          lastError = e;
          scheduleReconnect();
        }
        return;
      }
      state = State.OPEN;
      sessionId = null; // the new socket names its session in its first frame
      attach(ar.result());
      long replayed = replayUnacknowledged();
      log.atInfo().addKeyValue("attempt", thisAttempt).addKeyValue("replayed_bytes", replayed).log("pulse reconnected");
      emit(new PulseEvent.Reconnected(thisAttempt, replayed, sessionId));
    });
  }

  /** Sends the audio after the acknowledged position again, with the unanswered finalizes at their places. */
  private long replayUnacknowledged() {
    long from = Math.max(acked, replay.start());
    if (from > acked) {
      log.atWarn().addKeyValue("lost_bytes", from - acked).log("pulse replay buffer too short, audio lost");
    }
    socketStart = from;
    long pos = from;
    for (Iterator<Long> it = finalizes.iterator(); it.hasNext(); ) {
      long at = it.next();
      if (at < from) { // answered by audio the server already acknowledged
        it.remove();
        continue;
      }
      pos = replayRange(pos, at);
      ws.writeTextMessage("{\"type\":\"finalize\"}");
    }
    replayRange(pos, flushed);
    return flushed - from;
  }

  private long replayRange(long from, long to) {
    replay.forEach(from, to, this::write); // slices of the sent batches: none is longer than a frame may be
    return to;
  }

  private void schedulePing() {
    if (config.pingIntervalMillis() <= 0) return;
    pingTimer = clock.schedule(context, config.pingIntervalMillis(), () -> {
      if (ws == null) return;
      ws.writePing(Buffer.buffer());
      schedulePing();
    });
  }

  private void fail(AgentException error) {
    if (state == State.CLOSED || state == State.FAILED) return;
    finish(new PulseEvent.Failed(error), error);
  }

  private void finish(PulseEvent terminal, AgentException error) {
    state = terminal instanceof PulseEvent.Failed ? State.FAILED : State.CLOSED;
    cancel(pingTimer);
    cancel(reconnectTimer);
    cancel(closeTimer);
    if (ws != null) {
      WebSocket socket = ws;
      ws = null;
      socket.close();
    }
    emit(terminal);
    if (closed != null) {
      if (error == null) closed.tryComplete();
      else closed.tryFail(error);
    }
  }

  private void emit(PulseEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.atError().setCause(e).addKeyValue("event", event.getClass().getSimpleName()).log("pulse listener threw");
    }
  }

  private static void cancel(Clock.Cancellable c) {
    if (c != null) c.cancel();
  }
}
