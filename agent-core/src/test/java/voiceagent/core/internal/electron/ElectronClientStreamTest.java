package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import voiceagent.common.ErrorKind;
import voiceagent.common.VertxClock;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.ElectronReplyBuilder;
import voiceagent.testkit.electron.ElectronReplyBuilder.CachedTokensAt;
import voiceagent.testkit.electron.RecordedRequest;

/** The client against the emulator over a real socket: every server variation of the protocol notes. */
class ElectronClientStreamTest {
  private static ElectronHarness h;
  private static ElectronClient client;

  @BeforeAll
  static void start() throws Exception {
    h = new ElectronHarness();
    client = h.client(h.config(), VertxClock.INSTANCE);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static ElectronReplyBuilder toolTurn() {
    return ElectronReply.builder().text("Let me check that.").toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")
        .toolCall("call_2", "get_time", "{\"tz\":\"CET\"}").fragmentArguments(4).finishReason("tool_calls");
  }

  static Stream<Arguments> variants() {
    return Stream.<Object[]>of(
        new Object[] {"plain", (UnaryOperator<ElectronReplyBuilder>) b -> b},
        new Object[] {"roleInEveryDelta", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::roleInEveryDelta},
        new Object[] {"noRole", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::noRole},
        new Object[] {"contentNull", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::contentNullInToolChunks},
        new Object[] {"contentEmpty", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::emptyStringContent},
        new Object[] {"usageInFinish", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::usageInFinishChunk},
        new Object[] {"usageChoicesNull", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::usageChoicesNull},
        new Object[] {"usageNoChoices", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::usageWithoutChoices},
        new Object[] {"usageEveryChunk", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::usageOnEveryChunk},
        new Object[] {"usageNullOnChunks", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::usageNullOnChunks},
        new Object[] {"leadingEmptyChoices", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::leadingEmptyChoicesChunk},
        new Object[] {"noDone", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::noDone},
        new Object[] {"doneThenKeepOpen", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::doneThenKeepOpen},
        new Object[] {"finishRepeated", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::finishReasonRepeated},
        new Object[] {"finishOnLastChunk", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::finishOnLastChunk},
        new Object[] {"argumentsWhole", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::argumentsWhole},
        new Object[] {"argumentsAsObject", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::argumentsAsObject},
        new Object[] {"missingIndex", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::missingIndex},
        new Object[] {"missingType", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::missingType},
        new Object[] {"emptyIdAndName", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::repeatEmptyIdAndName},
        new Object[] {"repeatIdAndName", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::repeatIdAndName},
        new Object[] {"nameInLaterDelta", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::nameInLaterDelta},
        new Object[] {"interleaved", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::interleaveToolCalls},
        new Object[] {"contentWithToolCall", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::contentWithFirstToolCall},
        new Object[] {"reasoningContent", (UnaryOperator<ElectronReplyBuilder>) b -> b.reasoningContent("private thoughts")},
        new Object[] {"reasoning", (UnaryOperator<ElectronReplyBuilder>) b -> b.reasoning("private thoughts")},
        new Object[] {"thinkTags", (UnaryOperator<ElectronReplyBuilder>) b -> b.thinkTags("private thoughts")},
        new Object[] {"commentLines", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::commentLines},
        new Object[] {"eventLines", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::eventLines},
        new Object[] {"crlf", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::crlf},
        new Object[] {"noSpaceAfterData", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::noSpaceAfterData},
        new Object[] {"emptyDataLine", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::emptyDataLine},
        new Object[] {"veryLongDataLine", (UnaryOperator<ElectronReplyBuilder>) b -> b.veryLongDataLine(200_000)},
        new Object[] {"bareChunks", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::bareChunks},
        new Object[] {"varyingChunkIds", (UnaryOperator<ElectronReplyBuilder>) ElectronReplyBuilder::varyingChunkIds},
        new Object[] {"extraChoice", (UnaryOperator<ElectronReplyBuilder>) b -> b.extraChoice("never spoken")},
        new Object[] {"otherModelName", (UnaryOperator<ElectronReplyBuilder>) b -> b.model("some-other-model")})
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void everyServerVariantGivesTheSameTextAndToolCalls(String name, UnaryOperator<ElectronReplyBuilder> variant)
      throws Exception {
    h.emulator.enqueue(variant.apply(toolTurn()).build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("weather and time please"));
    ElectronEvent end = r.awaitEnd();

    assertInstanceOf(ElectronEvent.Finished.class, end, name + ": " + r.events);
    assertEquals("Let me check that.", r.text(), name);
    List<ElectronEvent.ToolCallReady> calls = r.toolCalls();
    assertEquals(List.of("get_weather:{\"city\":\"Paris\"}", "get_time:{\"tz\":\"CET\"}"),
        calls.stream().sorted(java.util.Comparator.comparingInt(ElectronEvent.ToolCallReady::index))
            .map(c -> c.name() + ":" + c.arguments()).toList(), name);
    assertEquals(2, calls.stream().map(ElectronEvent.ToolCallReady::id).distinct().count(), name + ": distinct ids");
    assertFalse(r.text().contains("private") || r.text().contains("never spoken"), name + ": nothing unspeakable");
    assertTrue(r.events.indexOf(end) == r.events.size() - 1, "terminal event is last");
    long usages = r.events.stream().filter(e -> e instanceof ElectronEvent.UsageReported).count();
    assertEquals(1, usages, name + ": usage reported exactly once");
  }

  @Test
  void textStreamReportsUsageAndRequestIdAndSendsStreamingOptions() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("It costs $100 today.").usage(1550, 200, 1500).build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("price?"));
    ElectronEvent.Finished done = assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    RecordedRequest req = h.emulator.awaitFinished(done.requestId(), 5, TimeUnit.SECONDS);

    assertEquals("It costs $100 today.", r.text());
    assertEquals("stop", done.finishReason());
    assertEquals(1, done.attempts());
    assertTrue(done.firstTokenNanos() > 0);
    assertTrue(r.events.contains(new ElectronEvent.UsageReported(1550, 200, 1500)), r.events.toString());
    assertTrue(req.json().path("stream").asBoolean());
    assertTrue(req.json().path("stream_options").path("include_usage").asBoolean());
    assertFalse(req.json().has("tools"), "no empty tools array is ever sent");
    assertTrue(r.threads.stream().allMatch(t -> t.getName().startsWith("vert.x-eventloop")), "delivered on the loop");
  }

  @Test
  void cachedTokensAreReadFromEveryPlaceServersPutThem() throws Exception {
    for (CachedTokensAt where : CachedTokensAt.values()) {
      h.emulator.enqueue(ElectronReply.builder().text("ok").usage(100, 2, 64).cachedTokensAt(where).build());
      ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
      r.awaitEnd();
      assertTrue(r.events.contains(new ElectronEvent.UsageReported(100, 2, 64)), where + ": " + r.events);
    }
  }

  @Test
  void aToolCallIsReportedWhileTheStreamIsStillOpen() throws Exception {
    h.emulator.enqueue(toolTurn().stallAfterChunks(12).build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("weather"));
    ElectronEvent.ToolCallReady first = r.next(ElectronEvent.ToolCallReady.class);
    assertEquals("get_weather", first.name());
    assertTrue(r.events.stream().noneMatch(e -> e instanceof ElectronEvent.Finished));
    r.stream.cancel();
  }

  @Test
  void errorEventAfterTextFailsWithoutSpeakingTheErrorAndWithoutRetry() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("Sure, one moment.").errorEventAfterText("model overloaded").build());
    int before = h.emulator.requests().size();
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals("Sure, one moment.", r.text(), "what was said stays said");
    assertFalse(r.text().contains("overloaded"));
    assertEquals(ErrorKind.SERVER, failed.error().kind());
    assertTrue(failed.error().getMessage().contains("model overloaded"));
    assertEquals(before + 1, h.emulator.requests().size(), "not retried after text");
  }

  @Test
  void errorChunkAfterTextFails() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("Hello").errorChunkAfterText("boom").build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertEquals("Hello", r.text());
  }

  @Test
  void streamCutAfterTextIsATruncatedReplyNotRetried() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("one two three four five six").noUsage().cutAfterChunks(4).build());
    int before = h.emulator.requests().size();
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    assertFalse(r.text().isEmpty());
    assertFalse(failed.error().retriable());
    assertEquals(before + 1, h.emulator.requests().size());
  }

  @Test
  void rawSseSplitAcrossWritesIsReassembled() throws Exception {
    h.emulator.enqueue(ElectronReply.rawSse("da", "ta: {\"choices\":[{\"delta\":{\"content\":\"Hi", " th",
        "ere\"}}]}\r", "\n\r\n: ping\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n"));
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    ElectronEvent.Finished done = assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());
    assertEquals("Hi there", r.text());
    assertEquals("stop", done.finishReason());
  }

  @Test
  void cancelClosesTheHttpStreamAndReportsNothingMore() throws Exception {
    h.emulator.enqueue(ElectronReply.builder().text("a b c d e f g h").stallAfterChunks(3).build());
    ElectronHarness.Recorder r = h.start(client, ElectronHarness.request("x"));
    r.next(ElectronEvent.TextDelta.class);
    String requestId = h.emulator.requests().getLast().requestId();
    r.stream.cancel();
    RecordedRequest finished = h.emulator.awaitFinished(requestId, 5, TimeUnit.SECONDS);
    assertTrue(finished.cancelledByClient(), "the emulator saw the client close the stream");
    assertTrue(r.queue.isEmpty() || r.queue.stream().allMatch(e -> e instanceof ElectronEvent.TextDelta));
    assertTrue(r.events.stream().noneMatch(e -> e instanceof ElectronEvent.Finished || e instanceof ElectronEvent.Failed));
  }
}
