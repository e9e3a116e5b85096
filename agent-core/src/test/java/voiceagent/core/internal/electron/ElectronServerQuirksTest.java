package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import voiceagent.common.ErrorKind;
import voiceagent.common.VertxClock;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.testkit.electron.ElectronReply;

/** Real OpenAI-compatible servers seen in the field, emulated over a real socket. */
class ElectronServerQuirksTest {
  private static final ElectronHarness h = harness();
  private static final ElectronClient client = h.client(h.config(), VertxClock.INSTANCE);

  private static ElectronHarness harness() {
    try {
      return new ElectronHarness();
    } catch (Exception e) {
      throw new IllegalStateException("the Electron emulator did not start", e);
    }
  }

  @AfterAll
  static void closeHarness() throws Exception {
    h.close();
  }

  @Test
  void gptOssHarmonyMarkupSpeaksOnlyTheFinalChannel() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().harmony("The user asks for the time. Answer briefly.")
        .text("It is three o'clock.").build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("time?"));
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals("It is three o'clock.", r.text());
    assertTrue(r.events.stream().filter(e -> e instanceof ElectronEvent.TextDelta)
        .noneMatch(e -> ((ElectronEvent.TextDelta) e).text().isEmpty()), "no empty deltas: " + r.events);
  }

  @Test
  void gptOssHarmonyWithAToolCallAndCommentaryKeepsTheCallAndDropsTheCommentary() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().contentFragments("<|channel|>analysis<|message|>Need the weather.<|e",
            "nd|><|start|>assistant<|channel|>commentary<|message|>Calling the tool.<|end|><|start|>assistant<|cha",
            "nnel|>final<|message|>Let me check.<|return|>")
        .toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}").build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("weather?"));
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals("Let me check.", r.text());
    assertEquals(List.of("get_weather"), r.toolCalls().stream().map(ElectronEvent.ToolCallReady::name).toList());
  }

  @Test
  void aServerThatIgnoresStreamTrueGivesOneWholeReply() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("Let me look.").toolCall("call_1", "get_weather",
        "{\"city\":\"Oslo\"}").usage(120, 9, 100).ignoreStream().build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("weather in Oslo"));
    ElectronEvent.Finished done = assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());

    assertEquals("Let me look.", r.text());
    ElectronEvent.ToolCallReady call = r.toolCalls().getFirst();
    assertEquals("call_1", call.id());
    assertEquals("get_weather", call.name());
    assertEquals("Oslo", call.arguments().path("city").asText());
    assertTrue(r.events.contains(new ElectronEvent.UsageReported(120, 9, 100)), r.events.toString());
    assertEquals("tool_calls", done.finishReason());
    assertEquals(1, done.attempts());
    assertTrue(h.emulator.requests().getLast().json().path("stream").asBoolean(), "the client asked for a stream");
  }

  @Test
  void aWholeCompletionInHarmonyMarkupSpeaksOnlyTheFinalChannel() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().harmony("Thinking aloud.").text("Hello.").ignoreStream().build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("hi"));
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals("Hello.", r.text());
  }

  @Test
  void anHtmlPageWithStatus200IsReportedAsWhatItIsAndNotRetried() throws Exception {
    h.emulator.enqueue(ElectronReply.status(200, "<html><body><h1>Sign in to the proxy</h1></body></html>",
        Map.of("Content-Type", "text/html; charset=utf-8")), ElectronReply.text("never reached"));
    int before = h.emulator.requests().size();
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());

    assertEquals(ErrorKind.PROTOCOL, failed.error().kind());
    assertFalse(failed.error().retriable());
    assertEquals(1, failed.attempts());
    assertTrue(failed.error().getMessage().contains("expected text/event-stream, got text/html"),
        failed.error().getMessage());
    assertTrue(failed.error().getMessage().contains("Sign in to the proxy"), failed.error().getMessage());
    assertFalse(failed.error().getMessage().contains("<h1>"), "markup is not quoted");
    assertEquals("", r.text());
    assertEquals(before + 1, h.emulator.requests().size(), "not retried");
    ElectronHarness.Recorder next = h.start(client, ElectronHarness.request("y"));
    next.awaitEnd();
    assertEquals("never reached", next.text(), "the scripted retry reply was still queued");
  }

  @Test
  void jsonThatIsNotACompletionIsReportedAsNotAStream() throws Exception {
    h.emulator.enqueue(ElectronReply.status(200, "{\"status\":\"ok\"}", Map.of("Content-Type", "application/json")));
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(ErrorKind.PROTOCOL, failed.error().kind());
    assertFalse(failed.error().retriable());
    assertTrue(failed.error().getMessage().contains("expected text/event-stream, got application/json"),
        failed.error().getMessage());
  }

  @Test
  void aJsonErrorObjectWithStatus200IsTheServersError() throws Exception {
    h.emulator.enqueue(ElectronReply.status(200, "{\"error\":{\"message\":\"context too long\","
        + "\"type\":\"invalid_request_error\"}}", Map.of("Content-Type", "application/json")));
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals(ErrorKind.INVALID_REQUEST, failed.error().kind());
    assertTrue(failed.error().getMessage().contains("context too long"), failed.error().getMessage());
  }
}
