package voiceagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.testkit.LightningRecorder.audioOf;
import static voiceagent.testkit.LightningRecorder.last;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningStream;
import voiceagent.common.VertxClock;

/**
 * Text longer than Lightning's 250 characters per request, through every transport of the client, against an emulator
 * that rejects longer requests as the service does.
 */
class LightningLongTextTest {
  private static final int RATE = 8000;
  /** Each word of the fake voice lasts 50 ms: audio length and word times follow from the text alone. */
  private static final int BYTES_PER_WORD = RATE / 20 * 2;

  private static final Vertx vertx = BlockedThreadGuard.newVertx();
  private LightningEmulator emulator;
  private LightningClient client;

  @BeforeEach
  void start() throws Exception {
    emulator = await(LightningEmulator.start(vertx, LightningEmulatorOptions.defaults()
        .withSynthesizer(LightningLongTextTest::wordClock).withRealTimeFactor(0).withChunkBytes(4000)));
    client = LightningClient.create(vertx, LightningConfig.defaults().withBaseUrl(emulator.baseUrl())
        .withTimings(0, 0, 10_000), VertxClock.INSTANCE);
  }

  @AfterEach
  void stop() throws Exception {
    await(client.close());
    await(emulator.close());
  }

  @AfterAll
  static void closeVertx() throws Exception {
    await(vertx.close());
  }

  /** A voice that speaks every whitespace-separated word for 50 ms, fast enough for 20 kB of text. */
  private static SpeechSynthesizer.Synthesized wordClock(String text) {
    List<SpeechSynthesizer.Word> words = new ArrayList<>();
    String[] split = text.strip().split("\\s+");
    byte[] pcm = new byte[text.isBlank() ? 0 : split.length * BYTES_PER_WORD];
    for (int i = 0; i < pcm.length; i += 2) pcm[i] = 100;
    for (int i = 0; i < split.length && !text.isBlank(); i++) {
      words.add(new SpeechSynthesizer.Word(split[i], i * 0.05, i * 0.05 + 0.05));
    }
    return new SpeechSynthesizer.Synthesized(pcm, RATE, words);
  }

  /** About 20 kB: sentences, a long sentence of clauses only, and a 300-character "word" that must be cut. */
  static String longText() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; s.length() < 20_000; i++) {
      switch (i % 9) {
        case 0 -> s.append("Your order number ").append(i).append(" has shipped and should arrive within three days. ");
        case 4 -> {
          for (int c = 0; c < 12; c++) s.append("clause ").append(c).append(" of a long list, ");
          s.append("and the end.\n");
        }
        case 8 -> s.append("Reference ").append("A1b2C3d4".repeat(i == 8 ? 38 : 1)).append(" noted. ");
        default -> s.append("Please keep your receipt, it helps us find your purchase quickly. ");
      }
    }
    return s.toString();
  }

  /** The requests the emulator received over the WebSocket: text of each message up to its flush. */
  private List<String> webSocketRequests() {
    List<String> requests = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (JsonObject m : emulator.received()) {
      current.append(m.getString("text"));
      if (m.getBoolean("flush", false) || !m.getBoolean("continue", false)) {
        if (!current.toString().isBlank()) requests.add(current.toString());
        current.setLength(0);
      }
    }
    assertEquals("", current.toString(), "text left unflushed");
    return requests;
  }

  /** Every request fits, and together they are the text, in order, cut only between words (or in a huge word). */
  private static void assertSplitFaithfully(String text, List<String> requests) {
    String all = text.strip().replaceAll("\\s+", " ");
    int at = 0;
    for (String request : requests) {
      assertTrue(request.length() <= 250, "request of " + request.length() + " characters");
      String piece = request.strip().replaceAll("\\s+", " ");
      assertTrue(all.startsWith(piece, at), "out of order or altered at " + at + ": " + piece);
      at += piece.length();
      if (at < all.length() && all.charAt(at) == ' ') at++;
      else if (at < all.length()) assertEquals(250, request.length(), "cut inside a word that fits: " + piece);
    }
    assertEquals(all.length(), at, "all the text was sent");
  }

  private static int words(List<String> requests) {
    return requests.stream().mapToInt(r -> r.strip().split("\\s+").length).sum();
  }

  @Test
  void aTwentyKilobyteTextIsSpokenCompletelyOverTheWebSocket() throws Exception {
    String text = longText();
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = await(client.open(RATE, rec));
    LightningStream.Synthesis s = stream.begin("speak-1");
    s.append(text);
    s.flush();
    List<LightningEvent> events = rec.untilTerminal("speak-1");

    LightningEvent.Completed done = assertInstanceOf(LightningEvent.Completed.class, last(events), events.toString());
    List<String> requests = webSocketRequests();
    assertTrue(requests.size() >= 80, "split into requests: " + requests.size());
    assertSplitFaithfully(text, requests);
    byte[] pcm = audioOf(events, "speak-1", RATE);
    assertEquals((long) words(requests) * BYTES_PER_WORD, pcm.length, "the audio of every request, once");
    assertEquals(pcm.length, done.audioBytes());
    assertWordTimesRunThroughTheSegment(events, pcm.length);
    assertTrue(events.stream().noneMatch(e -> e instanceof LightningEvent.Failed));
    await(stream.close());
  }

  /** Word times count from the start of the segment, across its requests, and end with its audio. */
  private static void assertWordTimesRunThroughTheSegment(List<LightningEvent> events, int audioBytes) {
    List<LightningEvent.WordTimestamp> words = events.stream().filter(LightningEvent.WordTimestamp.class::isInstance)
        .map(LightningEvent.WordTimestamp.class::cast).toList();
    assertEquals(audioBytes / BYTES_PER_WORD, words.size());
    for (int i = 0; i < words.size(); i++) {
      assertEquals(i * 0.05, words.get(i).start(), 1e-6, "word " + i + " " + words.get(i));
    }
    assertEquals(audioBytes / 2.0 / RATE, words.getLast().end(), 1e-6);
  }

  @Test
  void aLongStreamedSegmentIsSentInRequestsThatFitWhileItStreams() throws Exception {
    emulator.closeAfterComplete(true); // the spec's reading: the socket closes after each complete
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = await(client.open(RATE, rec));
    LightningStream.Synthesis s = stream.begin("turn-1");
    String text = longText().substring(0, 800);
    text = text.substring(0, text.lastIndexOf(' '));
    // Model-sized fragments, cut inside words as tokenizers do.
    for (int i = 0; i < text.length(); i += 3) s.append(text.substring(i, Math.min(text.length(), i + 3)));
    LightningEvent first = rec.take();
    assertInstanceOf(LightningEvent.AudioChunk.class, first, "a full request is spoken before the segment ends");
    s.flush();
    List<LightningEvent> events = new ArrayList<>(List.of(first));
    events.addAll(rec.untilTerminal("turn-1"));

    assertInstanceOf(LightningEvent.Completed.class, last(events), events.toString());
    List<String> spoken = events.stream().filter(LightningEvent.WordTimestamp.class::isInstance)
        .map(e -> ((LightningEvent.WordTimestamp) e).word()).toList();
    assertEquals(List.of(text.strip().split("\\s+")), spoken, "every word once, whole, in order");
    byte[] pcm = audioOf(events, "turn-1", RATE);
    assertEquals((long) spoken.size() * BYTES_PER_WORD, pcm.length);
    assertWordTimesRunThroughTheSegment(events, pcm.length);
    assertTrue(emulator.connectionsAccepted() >= 4, "one socket per request: " + emulator.connectionsAccepted());
    await(stream.close());
  }

  @Test
  void aLongStreamedSegmentOnOneSocketSendsEachRequestAfterThePreviousOneIsAnswered() throws Exception {
    LightningRecorder rec = new LightningRecorder();
    LightningStream stream = await(client.open(RATE, rec));
    LightningStream.Synthesis s = stream.begin("turn-2");
    String text = longText().substring(0, 700);
    for (int i = 0; i < text.length(); i += 4) s.append(text.substring(i, Math.min(text.length(), i + 4)));
    s.flush();
    List<LightningEvent> events = rec.untilTerminal("turn-2");

    assertInstanceOf(LightningEvent.Completed.class, last(events), events.toString());
    List<String> requests = webSocketRequests();
    assertTrue(requests.size() >= 3, "requests: " + requests.size());
    assertSplitFaithfully(text, requests);
    assertEquals(1, emulator.connectionsAccepted());
    byte[] pcm = audioOf(events, "turn-2", RATE);
    assertEquals((long) words(requests) * BYTES_PER_WORD, pcm.length);
    assertWordTimesRunThroughTheSegment(events, pcm.length);
    await(stream.close());
  }

  @Test
  void aTwentyKilobyteTextIsSynthesizedCompletelyOverHttp() throws Exception {
    String text = longText();
    byte[] pcm = await(client.synthesizeHttp(text, RATE));

    List<String> requests = emulator.received().stream().map(m -> m.getString("text")).toList();
    assertSplitFaithfully(text, requests);
    assertEquals((long) words(requests) * BYTES_PER_WORD, pcm.length);
  }

  @Test
  void aLongTextOverSseGivesItsAudioInOrderAndOneCompletion() throws Exception {
    String text = longText().substring(0, 2_000);
    LightningRecorder rec = new LightningRecorder();
    LightningEvent.Completed done = await(client.synthesizeSse("sse-1", text, RATE, rec));

    List<String> requests = emulator.received().stream().map(m -> m.getString("text")).toList();
    assertSplitFaithfully(text, requests);
    assertEquals(1, rec.all.stream().filter(e -> e instanceof LightningEvent.Completed).count());
    assertEquals(done, last(rec.all));
    assertEquals((long) words(requests) * BYTES_PER_WORD, done.audioBytes());
    assertEquals(done.audioBytes(), audioOf(rec.all, "sse-1", RATE).length);
    assertEquals(requests.stream().mapToInt(String::length).sum(), done.characters());
  }

  @Test
  void theEmulatorRejectsARequestOfMoreThan250CharactersAsTheServiceDoes() throws Exception {
    LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket ws = await(vertx.createWebSocketClient().connect(port(), "127.0.0.1", "/waves/v1/tts/live"));
    ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
    JsonObject base = new JsonObject().put("voice_id", "magnus").put("sample_rate", RATE).put("request_id", "r1");
    ws.writeTextMessage(base.copy().put("text", "a".repeat(200) + " ").put("continue", true).encode());
    ws.writeTextMessage(base.copy().put("text", "b".repeat(60)).put("continue", true).encode());
    JsonObject error = frames.poll(10, TimeUnit.SECONDS);
    assertEquals("error", error.getString("status"), String.valueOf(error));
    assertTrue(error.getJsonObject("error").getString("message").contains("longer than 250"), error.encode());
    ws.writeTextMessage(base.copy().put("text", "c".repeat(251)).encode());
    JsonObject single = frames.poll(10, TimeUnit.SECONDS);
    assertEquals("error", single.getString("status"), String.valueOf(single));
    await(ws.close());
  }

  private int port() {
    return Integer.parseInt(emulator.baseUrl().substring(emulator.baseUrl().lastIndexOf(':') + 1));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
