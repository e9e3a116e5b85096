package voiceagent.common.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
  private final List<String> events = new ArrayList<>();
  private final SseDecoder decoder = new SseDecoder((event, data) -> events.add(event + "|" + data));

  private void feedSplitEverywhere(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) decoder.feed(Buffer.buffer(new byte[] {b}));
  }

  @Test
  void eventSplitAcrossReadsIsDecodedOnce() {
    decoder.feed(Buffer.buffer("data: {\"a\""));
    decoder.feed(Buffer.buffer(":1}\n"));
    assertEquals(List.of(), events, "no event before the blank line");
    decoder.feed(Buffer.buffer("\ndata: x\n\n"));
    assertEquals(List.of("null|{\"a\":1}", "null|x"), events);
  }

  @Test
  void severalEventsInOneRead() {
    decoder.feed(Buffer.buffer("data: 1\n\ndata: 2\n\ndata: [DONE]\n\n"));
    assertEquals(List.of("null|1", "null|2", "null|[DONE]"), events);
  }

  @Test
  void crlfAndCrLineEndsEvenWhenCrAndLfArriveInDifferentReads() {
    decoder.feed(Buffer.buffer("data: a\r"));
    decoder.feed(Buffer.buffer("\n\r"));
    decoder.feed(Buffer.buffer("\ndata: b\r\rdata: c\n\n"));
    assertEquals(List.of("null|a", "null|b", "null|c"), events);
  }

  @Test
  void commentsIdsAndRetryAreSkippedAndEventNameIsKept() {
    decoder.feed(Buffer.buffer(": ping\n\n: processing\nid: 7\nretry: 100\nevent: error\ndata: {\"e\":1}\n\n"));
    assertEquals(List.of("error|{\"e\":1}"), events);
  }

  @Test
  void dataWithoutSpaceAndMultiLineDataAndExtraBlankLines() {
    decoder.feed(Buffer.buffer("\n\n\ndata:{\"x\":1}\n\n\n\ndata: one\ndata: two\n\n"));
    assertEquals(List.of("null|{\"x\":1}", "null|one\ntwo"), events);
  }

  @Test
  void multiByteCharacterSplitAcrossReadsSurvives() {
    feedSplitEverywhere("data: {\"content\":\"naïve café — 東京\"}\n\n");
    assertEquals(List.of("null|{\"content\":\"naïve café — 東京\"}"), events);
  }

  @Test
  void veryLongDataLineIsAssembled() {
    String big = "x".repeat(300_000);
    String line = "data: " + big + "\n\n";
    for (int i = 0; i < line.length(); i += 8191) {
      decoder.feed(Buffer.buffer(line.substring(i, Math.min(line.length(), i + 8191))));
    }
    assertEquals(1, events.size());
    assertEquals(300_000 + "null|".length(), events.get(0).length());
  }

  @Test
  void lastEventWithoutBlankLineIsDeliveredAtEnd() {
    decoder.feed(Buffer.buffer("data: tail"));
    assertEquals(List.of(), events);
    decoder.end();
    assertEquals(List.of("null|tail"), events);
  }

  @Test
  void eventWithoutDataIsNotDispatched() {
    decoder.feed(Buffer.buffer("event: ping\n\n"));
    decoder.end();
    assertEquals(List.of(), events);
  }

  @Test
  void endlessLineIsRejected() {
    byte[] chunk = new byte[1 << 20];
    java.util.Arrays.fill(chunk, (byte) 'a');
    assertThrows(IllegalStateException.class, () -> {
      for (int i = 0; i < 17; i++) decoder.feed(chunk, 0, chunk.length);
    });
  }
}
