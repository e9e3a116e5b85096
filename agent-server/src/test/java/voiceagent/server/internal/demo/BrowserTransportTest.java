package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voiceagent.core.spi.MediaTransport;

/** The page protocol over a real WebSocket: what the page sends reaches the session, and back. */
class BrowserTransportTest {
  private static final long WAIT_SECONDS = 10; // a safety net: each take returns as soon as the event is there

  private Vertx vertx;
  private final BlockingQueue<String> sinkEvents = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> pageReceived = new LinkedBlockingQueue<>();
  private final BlockingQueue<Buffer> pageAudio = new LinkedBlockingQueue<>();
  private final Promise<BrowserTransport> started = Promise.promise();
  private byte[] lastAudio;
  private Context callContext;
  private Thread callLoop;
  private WebSocket page;

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.toWebSocket().onSuccess(ws -> {
      BrowserTransport transport = new BrowserTransport(ws, "t1").onTypedTurn(text -> record("typed " + text));
      callContext = Vertx.currentContext();
      callLoop = Thread.currentThread();
      transport.start(new RecordingSink());
      started.complete(transport);
    })).listen(0, "127.0.0.1").await();
    page = vertx.createWebSocketClient().connect(server.actualPort(), "127.0.0.1", DemoServer.SOCKET_PATH).await();
    page.textMessageHandler(pageReceived::add);
    page.binaryMessageHandler(pageAudio::add);
    page.closeHandler(v -> pageReceived.add("closed " + page.closeStatusCode()));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void pageMessagesReachTheSinkOnTheCallsLoop() throws Exception {
    started.future().await();
    byte[] frame = new byte[640];
    for (int i = 0; i < frame.length; i++) frame[i] = (byte) i;
    page.writeBinaryMessage(Buffer.buffer(frame));
    assertEquals("audio 640", take(sinkEvents));
    assertArrayEquals(frame, lastAudio);

    assertReply("{\"type\":\"played\",\"name\":\"m1\"}", sinkEvents, "played m1");
    assertReply("{\"type\":\"cleared\"}", sinkEvents, "cleared");
    assertReply("{\"type\":\"text\",\"text\":\"  What's the weather in Oslo? \"}", sinkEvents,
        "typed What's the weather in Oslo?");
    assertReply("{\"type\":\"hangup\"}", sinkEvents, "hangup caller hung up");
    assertEquals("closed 1000", take(pageReceived));
    assertNull(sinkEvents.poll(), "one hang-up, nothing after it");
  }

  @Test
  void sessionOutputReachesThePage() throws Exception {
    BrowserTransport transport = started.future().await();
    byte[] pcm = {9, 1, 2, 3, 4, 9};
    onCall(() -> {
      transport.sendAudio(pcm, 1, 4);
      transport.sendMark("turn-1-seg-0");
      transport.clear();
      transport.hangUp("goodbye");
      transport.sendMark("after-hang-up"); // dropped: nothing is sent after the hang-up
    });
    assertArrayEquals(new byte[] {1, 2, 3, 4}, pageAudio.poll(WAIT_SECONDS, TimeUnit.SECONDS).getBytes());
    assertEquals("{\"type\":\"mark\",\"name\":\"turn-1-seg-0\"}", take(pageReceived));
    assertEquals("{\"type\":\"clear\"}", take(pageReceived));
    assertEquals("{\"type\":\"hangup\",\"reason\":\"goodbye\"}", take(pageReceived));
    assertEquals("closed 1000", take(pageReceived));
    assertNull(sinkEvents.poll(), "the agent's own hang-up is not reported back to it");
  }

  @Test
  void refusedMessagesAreNamedToThePageAndTheCallGoesOn() throws Exception {
    started.future().await();
    page.writeBinaryMessage(Buffer.buffer(new byte[3]));
    assertEquals(refusal("binary frame of 3 bytes: PCM16 needs an even length"), take(pageReceived));
    assertReply("not json", pageReceived, refusal("a text frame is not JSON: not json"));
    assertReply("{\"type\":\"dance\"}", pageReceived, refusal("unknown type: dance"));
    assertReply("{\"type\":\"played\"}", pageReceived, refusal("played needs a name"));
    assertReply("{\"type\":\"text\",\"text\":\"  \"}", pageReceived,
        refusal("text needs a non-blank text"));
    assertReply("{\"type\":\"cleared\"}", sinkEvents, "cleared");
    assertNull(sinkEvents.poll(), "no refused message reached the session");
  }

  @Test
  void aClosedSocketIsTheCallersHangUp() throws Exception {
    started.future().await();
    page.close().await();
    assertEquals("hangup socket closed", take(sinkEvents));
  }

  /** The page sends {@code message}; {@code queue} then holds {@code expected}. */
  private void assertReply(String message, BlockingQueue<String> queue, String expected) throws InterruptedException {
    page.writeTextMessage(message);
    assertEquals(expected, take(queue));
  }

  private static String refusal(String message) {
    return "{\"type\":\"error\",\"message\":\"" + message + "\"}";
  }

  private void onCall(Runnable task) {
    Promise<Void> done = Promise.promise();
    callContext.runOnContext(v -> {
      task.run();
      done.complete();
    });
    done.future().await();
  }

  private void record(String event) {
    if (Thread.currentThread() != callLoop) throw new AssertionError(event + " off the call's loop");
    sinkEvents.add(event);
  }

  private static String take(BlockingQueue<String> queue) throws InterruptedException {
    String event = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (event == null) throw new AssertionError("nothing arrived within " + WAIT_SECONDS + " s");
    return event;
  }

  private final class RecordingSink implements MediaTransport.TransportSink {
    @Override
    public void onAudio(byte[] data, int off, int len) {
      lastAudio = java.util.Arrays.copyOfRange(data, off, off + len);
      record("audio " + len);
    }

    @Override public void onMarkPlayed(String name) { record("played " + name); }
    @Override public void onCleared() { record("cleared"); }
    @Override public void onDtmf(String digits) { record("dtmf " + digits); }
    @Override public void onHangUp(String reason) { record("hangup " + reason); }
  }
}
