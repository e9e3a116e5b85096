package voiceagent.core.internal.carrier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.AudioFormat;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;
import voiceagent.core.CallLog;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierCodec;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.CarrierLimits;
import voiceagent.core.carrier.CarrierTransport;
import voiceagent.core.carrier.WireMessage;

/**
 * The {@link CarrierTransport} of one call: reads the socket's frames (reassembling fragments into a reused buffer),
 * applies the limits, decodes with the carrier's codec, and reports to the session's sink; writes the session's audio,
 * marks and clears as the carrier's messages.
 *
 * <p>States: handshake (until the start message) → ready (socket paused until the session starts) → live → ended.
 *
 * <p>Thread contract: confined to the socket's context; every field is touched only there.
 */
public final class DefaultCarrierTransport implements CarrierTransport {
  private static final Logger log = LoggerFactory.getLogger(DefaultCarrierTransport.class);
  private static final long SECOND_NANOS = 1_000_000_000L;
  /** Names of cleared marks remembered to swallow their late echoes; a bound so a peer cannot grow it forever. */
  private static final int MAX_FLUSHED_MARKS = 256;
  private static final short CLOSE_NORMAL = 1000;
  private static final short CLOSE_UNSUPPORTED = 1003;
  private static final short CLOSE_BAD_DATA = 1007;
  private static final short CLOSE_POLICY = 1008;
  private static final short CLOSE_TOO_BIG = 1009;

  private enum State { HANDSHAKE, READY, LIVE, ENDED }

  private final ServerWebSocket socket;
  private final CarrierCodec codec;
  private final CarrierLimits limits;
  private final Clock clock;
  private final Context context;
  /** The socket's event-loop thread: every method runs on it (checked with assertions, per the thread contract). */
  private final Thread loop = Thread.currentThread();
  private final Promise<CarrierTransport> handshake = Promise.promise();
  private final Clock.Cancellable startTimer;
  private CallLog callLog;
  private State state = State.HANDSHAKE;
  private CarrierEvent.Started started;
  private TransportSink sink;
  private String endReason;
  private OutboundChunker chunker;

  // Inbound message assembly and limits.
  private byte[] message = new byte[4096];
  private int messageLength;
  private boolean messageBinary;
  private boolean inMessage;
  private long windowStart;
  private int windowCount;
  private int malformedInRow;
  private long mediaBeforeStart;
  /** Highest media chunk number delivered, and which of the 64 before it were (bit n: highest - n). */
  private long highestChunk = -1;
  private long chunkWindow;

  // Playback bookkeeping: marks sent and not yet echoed; marks cleared whose echoes are swallowed.
  private final LinkedHashSet<String> pendingMarks = new LinkedHashSet<>();
  private final LinkedHashSet<String> flushedMarks = new LinkedHashSet<>();
  private boolean clearing;

  private DefaultCarrierTransport(ServerWebSocket socket, Carrier carrier, CarrierLimits limits, Clock clock,
      CallLog callLog) {
    this.socket = socket;
    this.codec = carrier.newCodec();
    this.limits = limits;
    this.clock = clock;
    this.callLog = callLog.with("carrier", carrier.id());
    this.context = Objects.requireNonNull(Vertx.currentContext(), "accept must run on the socket's context");
    this.windowStart = clock.nanoTime();
    this.startTimer = clock.schedule(context, limits.startTimeoutMillis(),
        () -> end("no start message within " + limits.startTimeoutMillis() + " ms", CLOSE_POLICY));
  }

  /** See {@link CarrierTransport#accept}. */
  public static Future<CarrierTransport> accept(ServerWebSocket socket, Carrier carrier, CarrierLimits limits,
      Clock clock, CallLog callLog) {
    DefaultCarrierTransport t = new DefaultCarrierTransport(socket, carrier, limits, clock, callLog);
    socket.frameHandler(t::onFrame);
    socket.closeHandler(v -> t.end("socket closed", (short) 0));
    socket.exceptionHandler(e -> t.callLog.debug(log).addKeyValue("error", e.toString()).log("carrier socket error"));
    return t.handshake.future();
  }

  private void onFrame(WebSocketFrame frame) {
    if (state == State.ENDED) return;
    if (frame.isText() || frame.isBinary()) {
      messageBinary = frame.isBinary();
      messageLength = 0;
      inMessage = true;
    } else if (!frame.isContinuation() || !inMessage) {
      return; // ping, pong and close are Vert.x's; a stray continuation has no message to join
    }
    Buffer data = frame.binaryData();
    int n = data.length();
    if (messageLength + n > limits.maxMessageBytes()) {
      end("message larger than " + limits.maxMessageBytes() + " bytes", CLOSE_TOO_BIG);
      return;
    }
    if (messageLength + n > message.length) {
      message = java.util.Arrays.copyOf(message, Math.min(limits.maxMessageBytes(), Math.max(message.length * 2,
          messageLength + n)));
    }
    data.getBytes(0, n, message, messageLength);
    messageLength += n;
    if (!frame.isFinal()) return;
    inMessage = false;
    if (!withinRate()) return;
    CarrierEvent event = messageBinary ? codec.decodeBinary(message, 0, messageLength)
        : codec.decodeText(message, 0, messageLength);
    onEvent(event);
  }

  private boolean withinRate() {
    long now = clock.nanoTime();
    if (now - windowStart >= SECOND_NANOS) {
      windowStart = now;
      windowCount = 0;
    }
    if (++windowCount <= limits.maxMessagesPerSecond()) return true;
    end("more than " + limits.maxMessagesPerSecond() + " messages in one second", CLOSE_POLICY);
    return false;
  }

  private void onEvent(CarrierEvent event) {
    if (!(event instanceof CarrierEvent.Malformed)) malformedInRow = 0;
    switch (event) {
      case CarrierEvent.Media m -> {
        if (state == State.LIVE) {
          if (firstDelivery(m.chunk())) sink.onAudio(m.data(), 0, m.length());
        } else if (mediaBeforeStart++ == 0) callLog.debug(log).log("carrier media before the stream started, dropped");
      }
      case CarrierEvent.Started s -> onStarted(s);
      case CarrierEvent.MarkPlayed p -> onMarkPlayed(p.name());
      case CarrierEvent.Cleared c -> {
        if (codec.clearAck() == CarrierCodec.ClearAck.EVENT) finishClear();
      }
      case CarrierEvent.Dtmf d -> {
        if (state == State.LIVE) sink.onDtmf(d.digits());
      }
      case CarrierEvent.Stopped s -> end("carrier stopped the stream: " + s.reason(), CLOSE_NORMAL);
      case CarrierEvent.Connected c -> callLog.debug(log).log("carrier connected");
      case CarrierEvent.Ignored i -> callLog.debug(log).addKeyValue("event", i.event()).log("carrier event ignored");
      case CarrierEvent.Malformed m -> onMalformed(m);
    }
  }

  /**
   * Whether media chunk {@code chunk} is new. Telnyx does not guarantee order: a late chunk is still the caller's
   * audio and is delivered (holding frames back to reorder them would delay every frame), a repeated one is dropped.
   */
  private boolean firstDelivery(long chunk) {
    if (chunk < 0) return true;
    if (chunk > highestChunk) {
      long shift = chunk - highestChunk;
      chunkWindow = (shift >= 64 || highestChunk < 0 ? 0 : chunkWindow << shift) | 1;
      highestChunk = chunk;
      return true;
    }
    long age = highestChunk - chunk;
    if (age < 64 && (chunkWindow & (1L << age)) != 0) {
      callLog.debug(log).addKeyValue("chunk", chunk).log("repeated carrier media chunk dropped");
      return false;
    }
    if (age < 64) chunkWindow |= 1L << age;
    return true;
  }

  private void onStarted(CarrierEvent.Started s) {
    if (state != State.HANDSHAKE) {
      callLog.debug(log).log("repeated carrier start ignored");
      return;
    }
    started = s;
    // Vonage names neither: the server's connection id stays the call's id in the log.
    String id = s.callId() != null ? s.callId() : s.streamId();
    if (id != null) callLog = callLog.with("call_id", id);
    startTimer.cancel();
    chunker = new OutboundChunker(codec, this::write);
    state = State.READY;
    // The session is built on this context after the future completes: hold the carrier's audio in the socket.
    socket.pause();
    callLog.info(log).addKeyValue("stream_id", s.streamId()).addKeyValue("format", s.format().toString())
        .log("carrier stream started");
    handshake.complete(this);
  }

  private void onMalformed(CarrierEvent.Malformed m) {
    callLog.warn(log).addKeyValue("problem", m.problem().name()).addKeyValue("detail", m.detail())
        .log("malformed carrier message skipped");
    if (state == State.HANDSHAKE && m.problem() == CarrierEvent.Problem.UNSUPPORTED_FORMAT) {
      end("unsupported media format: " + m.detail(), CLOSE_UNSUPPORTED);
    } else if (++malformedInRow > limits.maxConsecutiveMalformed()) {
      end(malformedInRow + " malformed messages in a row", CLOSE_BAD_DATA);
    }
  }

  private void onMarkPlayed(String name) {
    if (pendingMarks.remove(name)) {
      if (state == State.LIVE) sink.onMarkPlayed(name);
    } else if (flushedMarks.remove(name)) {
      if (clearing && codec.clearAck() == CarrierCodec.ClearAck.MARKS_FLUSHED && flushedMarks.isEmpty()) finishClear();
    } else {
      callLog.debug(log).addKeyValue("mark", name).log("echo of a mark never sent ignored");
    }
  }

  private void finishClear() {
    if (!clearing) return;
    clearing = false;
    if (codec.clearAck() == CarrierCodec.ClearAck.MARKS_FLUSHED) flushedMarks.clear();
    if (state == State.LIVE) sink.onCleared();
  }

  @Override
  public Carrier carrier() {
    return codec.carrier();
  }

  @Override
  public CarrierEvent.Started started() {
    return started;
  }

  @Override
  public AudioFormat inputFormat() {
    return started.format();
  }

  @Override
  public AudioFormat outputFormat() {
    return started.format();
  }

  @Override
  public boolean acknowledgesPlayback() {
    return codec.acknowledgesPlayback();
  }

  @Override
  public void start(TransportSink sink) {
    assert Thread.currentThread() == loop : "called off the socket's event loop";
    if (state == State.ENDED && started != null && this.sink == null) {
      this.sink = sink;
      sink.onHangUp(endReason);
      return;
    }
    if (state != State.READY) throw new IllegalStateException("start in state " + state);
    this.sink = sink;
    state = State.LIVE;
    socket.resume();
  }

  @Override
  public void sendAudio(byte[] data, int off, int len) {
    assert Thread.currentThread() == loop : "called off the socket's event loop";
    if (isOpen()) chunker.add(data, off, len);
  }

  @Override
  public void sendMark(String name) {
    assert Thread.currentThread() == loop : "called off the socket's event loop";
    if (!isOpen()) return;
    chunker.flush();
    WireMessage mark = codec.mark(name);
    if (mark == null) return;
    pendingMarks.add(name);
    write(mark);
  }

  @Override
  public void clear() {
    assert Thread.currentThread() == loop : "called off the socket's event loop";
    if (!isOpen()) return;
    chunker.drop();
    write(codec.clear());
    CarrierCodec.ClearAck ack = codec.clearAck();
    if (ack == CarrierCodec.ClearAck.NONE) return;
    flushedMarks.addAll(pendingMarks);
    pendingMarks.clear();
    for (Iterator<String> it = flushedMarks.iterator(); flushedMarks.size() > MAX_FLUSHED_MARKS; ) {
      it.next();
      it.remove();
    }
    clearing = true;
    boolean done = ack == CarrierCodec.ClearAck.ON_SEND
        || (ack == CarrierCodec.ClearAck.MARKS_FLUSHED && flushedMarks.isEmpty());
    // Reported after this call returns: the session is inside clear() and must not be re-entered.
    if (done) context.runOnContext(v -> finishClear());
  }

  @Override
  public void hangUp(String reason) {
    assert Thread.currentThread() == loop : "called off the socket's event loop";
    if (state == State.ENDED) return;
    callLog.info(log).addKeyValue("reason", reason).log("agent ended the carrier stream");
    state = State.ENDED;
    endReason = reason;
    socket.close(CLOSE_NORMAL, "agent hung up");
  }

  private boolean isOpen() {
    return state == State.LIVE || state == State.READY;
  }

  private void write(WireMessage m) {
    Future<Void> written = m.binary() ? socket.writeFinalBinaryFrame(m.toBuffer()) : socket.writeFinalTextFrame(m.text());
    written.onFailure(e -> callLog.debug(log).addKeyValue("error", e.toString()).log("carrier write failed"));
  }

  /** Ends the call from the transport's side ({@code code} 0: the socket is already closed). */
  private void end(String reason, short code) {
    if (state == State.ENDED) return;
    State was = state;
    state = State.ENDED;
    endReason = reason;
    startTimer.cancel();
    if (code != 0) {
      callLog.warn(log).addKeyValue("reason", reason).addKeyValue("close_code", code).log("carrier stream ended");
      socket.close(code, code == CLOSE_NORMAL ? "stream stopped" : "protocol violation");
    } else {
      callLog.info(log).addKeyValue("reason", reason).log("carrier stream ended");
    }
    if (was == State.HANDSHAKE) {
      handshake.tryFail(new AgentException(ErrorKind.PROTOCOL, codec.carrier().id(), "carrier stream did not start: "
          + reason));
    } else if (was == State.LIVE) {
      sink.onHangUp(reason);
    }
  }
}
