package voiceagent.server.internal.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.AudioFormat;
import voiceagent.core.spi.MediaTransport;

/**
 * The demo page's end of a call: a {@link MediaTransport} over the page's WebSocket. Binary frames in are the
 * microphone as PCM16 LE mono at 16 kHz (the page's AudioWorklet resamples once, so the server never does); binary
 * frames out are the agent's PCM16 at 24 kHz, which the page plays as it streams. Text frames carry JSON control
 * messages both ways ({@code mark}/{@code played}, {@code clear}/{@code cleared}, {@code hangup}, the page's typed
 * {@code text} turns) and the call's events for the page ({@link #sendEvent}); {@code docs/ARCHITECTURE.md} lists them.
 *
 * <p>Lifecycle: created when the page's socket is accepted (the socket is paused until {@link #start}); started once
 * by the session; ended by {@link #hangUp}, by the page's {@code hangup} message or by the socket closing, after which
 * nothing more is sent or reported.
 *
 * <p>Thread contract: the {@link MediaTransport} methods are called on the call's context, and sink events are
 * reported there (the socket's handlers hop when the call lives on another loop). {@link #sendEvent} may be called
 * from any thread: a Vert.x socket write is thread-safe.
 */
public final class BrowserTransport implements MediaTransport {
  private static final Logger log = LoggerFactory.getLogger(BrowserTransport.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerWebSocket socket;
  private final String callId;
  private Consumer<String> typedTurns = text -> { }; // set before start, then read on the call's loop
  // Set once in start(), on the call's context; read by the socket's handlers only after start.
  private Context callContext;
  private Thread callLoop;
  private TransportSink sink;
  private boolean ended; // touched on the call's loop only

  /**
   * Wraps an accepted socket and pauses it until {@link #start}, so no frame arrives before the session listens.
   */
  public BrowserTransport(ServerWebSocket socket, String callId) {
    this.socket = socket;
    this.callId = callId;
    socket.pause();
  }

  /** Where the turns the user types on the page go, on the call's context; set before {@link #start}. */
  public BrowserTransport onTypedTurn(Consumer<String> handler) {
    this.typedTurns = handler;
    return this;
  }

  public String callId() {
    return callId;
  }

  /** The microphone: PCM16 LE mono at 16 kHz, resampled once by the page's AudioWorklet. */
  @Override
  public AudioFormat inputFormat() {
    return AudioFormat.PCM16_16K;
  }

  /** Lightning's 24 kHz PCM16, played as it is by the page (the browser schedules it at the device's rate). */
  @Override
  public AudioFormat outputFormat() {
    return AudioFormat.PCM16_24K;
  }

  /** The page reports marks from its playback clock and confirms each clear. */
  @Override
  public boolean acknowledgesPlayback() {
    return true;
  }

  @Override
  public void start(TransportSink sink) {
    if (this.sink != null) throw new IllegalStateException("call " + callId + ": transport already started");
    this.sink = sink;
    this.callContext = Vertx.currentContext();
    this.callLoop = Thread.currentThread();
    socket.binaryMessageHandler(this::onBinary);
    socket.textMessageHandler(this::onText);
    socket.closeHandler(v -> onCall(() -> ended("socket closed")));
    socket.exceptionHandler(e -> log.atDebug().addKeyValue("call_id", callId).setCause(e).log("page socket error"));
    socket.resume();
  }

  @Override
  public void sendAudio(byte[] data, int off, int len) {
    if (ended) return;
    socket.writeFinalBinaryFrame(Buffer.buffer(len).appendBytes(data, off, len));
  }

  @Override
  public void sendMark(String name) {
    if (!ended) socket.writeTextMessage(JSON.createObjectNode().put("type", "mark").put("name", name).toString());
  }

  @Override
  public void clear() {
    if (!ended) socket.writeTextMessage("{\"type\":\"clear\"}");
  }

  @Override
  public void hangUp(String reason) {
    if (ended) return;
    ended = true;
    socket.writeTextMessage(JSON.createObjectNode().put("type", "hangup").put("reason", reason).toString());
    socket.close((short) 1000, "call ended");
  }

  /** Sends one of the call's events to the page (transcripts, tool calls, latency, cost, status). */
  public void sendEvent(ObjectNode event) {
    if (!socket.isClosed()) socket.writeTextMessage(event.toString());
  }

  private void onBinary(Buffer frame) {
    if (frame.length() % 2 != 0) {
      refuse("binary frame of " + frame.length() + " bytes: PCM16 needs an even length");
      return;
    }
    byte[] pcm = frame.getBytes();
    onCall(() -> {
      if (!ended) sink.onAudio(pcm, 0, pcm.length);
    });
  }

  private void onText(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      refuse("a text frame is not JSON: " + abbreviate(text));
      return;
    }
    String type = message.path("type").asText("");
    switch (type) {
      case "played" -> {
        String name = message.path("name").asText(null);
        if (name == null) refuse("played needs a name");
        else onCall(() -> { if (!ended) sink.onMarkPlayed(name); });
      }
      case "cleared" -> onCall(() -> { if (!ended) sink.onCleared(); });
      case "hangup" -> onCall(() -> ended("caller hung up"));
      case "text" -> {
        String turn = message.path("text").asText("").strip();
        if (turn.isEmpty()) refuse("text needs a non-blank text");
        else onCall(() -> { if (!ended) typedTurns.accept(turn); });
      }
      default -> refuse("unknown type: " + abbreviate(type));
    }
  }

  /** The page ended the call: reports it once and sends nothing more. */
  private void ended(String reason) {
    if (ended) return;
    ended = true;
    log.atInfo().addKeyValue("call_id", callId).addKeyValue("reason", reason).log("page hung up");
    sink.onHangUp(reason);
    if (!socket.isClosed()) socket.close((short) 1000, "call ended");
  }

  /** Tells the page which of its messages was refused; the call goes on. */
  private void refuse(String why) {
    log.atDebug().addKeyValue("call_id", callId).addKeyValue("reason", why).log("page message refused");
    sendEvent(JSON.createObjectNode().put("type", "error").put("message", why));
  }

  private void onCall(Runnable task) {
    if (Thread.currentThread() == callLoop) task.run();
    else callContext.runOnContext(v -> task.run());
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
