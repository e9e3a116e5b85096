package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.core.ElectronEvent;

class ChunkReaderTest {
  private final List<Object> out = new ArrayList<>();
  private final ChunkReader reader = new ChunkReader(new ChunkReader.Sink() {
    @Override
    public void onEvent(ElectronEvent event) {
      out.add(event);
    }

    @Override
    public void onStreamError(JsonNode error) {
      out.add("error:" + error.path("message").asText());
    }
  }, () -> "gen");

  private ChunkReader.Outcome data(String json) {
    return reader.accept(null, json);
  }

  private List<String> texts() {
    return out.stream().filter(e -> e instanceof ElectronEvent.TextDelta).map(e -> ((ElectronEvent.TextDelta) e).text())
        .toList();
  }

  @Test
  void roleInEveryDeltaOrNoneAndNullOrEmptyOrAbsentContent() {
    data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}");
    data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}");
    data("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"lo\"}}]}");
    data("{\"choices\":[{\"index\":0,\"delta\":{}}]}");
    assertEquals(List.of("Hel", "lo"), texts());
  }

  @Test
  void usageInFinishChunkOrSeparateChunkOrCumulativeKeepsTheLastNonNull() {
    data("{\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}");
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":null}");
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}");
    assertFalse(reader.sawEnd() && reader.finishReason() != null, "a leading empty-choices chunk is not the end");
    data("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":3}}}");
    reader.finish();
    assertEquals(new ElectronEvent.UsageReported(5, 2, 3), out.get(out.size() - 1));
    assertEquals("stop", reader.finishReason());
  }

  @Test
  void cachedTokensFromTopLevelOrPromptCacheHit() {
    assertEquals(7, ChunkReader.cachedTokens(json("{\"prompt_tokens\":9,\"cached_tokens\":7}")));
    assertEquals(4, ChunkReader.cachedTokens(json("{\"prompt_tokens\":9,\"prompt_cache_hit_tokens\":4}")));
    assertEquals(0, ChunkReader.cachedTokens(json("{\"prompt_tokens\":9}")));
  }

  @Test
  void reasoningFieldsAreNeverTextAndThinkSpansAreStripped() {
    data("{\"choices\":[{\"delta\":{\"reasoning_content\":\"secret plan\",\"reasoning\":\"x\"}}]}");
    data("{\"choices\":[{\"delta\":{\"content\":\"<thi\"}}]}");
    data("{\"choices\":[{\"delta\":{\"content\":\"nk>hmm</think>Sure\"}}]}");
    data("{\"choices\":[{\"delta\":{\"content\":\", done.\"}}]}");
    reader.finish();
    assertEquals("Sure, done.", String.join("", texts()));
  }

  @Test
  void refusalIsTextOnlyWhenThereIsNoContent() {
    data("{\"choices\":[{\"delta\":{\"refusal\":\"I can't help with that.\"}}]}");
    assertEquals(List.of("I can't help with that."), texts());
  }

  @Test
  void repeatedMissingAndUnknownFinishReasons() {
    data("{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"eos_token\"}]}");
    assertEquals("stop", reader.finishReason(), "unknown values are stop");
    data("{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    data("{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    assertEquals("tool_calls", reader.finishReason());
  }

  @Test
  void contentAndToolCallsInOneChunkAndOtherChoicesIgnored() {
    data("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other choice\"}},{\"index\":0,\"delta\":{\"content\":\"Checking.\","
        + "\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
    assertEquals(List.of("Checking."), texts());
    assertTrue(out.get(1) instanceof ElectronEvent.ToolCallReady r && r.name().equals("f"));
  }

  @Test
  void errorEventAndTopLevelErrorChunkStopTheStream() {
    assertEquals(ChunkReader.Outcome.ERROR, reader.accept("error", "{\"error\":{\"message\":\"overloaded\"}}"));
    assertEquals(ChunkReader.Outcome.ERROR, data("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    assertEquals(ChunkReader.Outcome.ERROR, reader.accept("error", "upstream went away"));
    assertEquals(List.of("error:overloaded", "error:boom", "error:upstream went away"), out);
  }

  @Test
  void doneAndEmptyAndNonJsonPayloads() {
    assertEquals(ChunkReader.Outcome.CONTINUE, data(""));
    assertEquals(ChunkReader.Outcome.CONTINUE, data("keep-alive"));
    assertEquals(ChunkReader.Outcome.DONE, data("[DONE]"));
    assertEquals(List.of(), out);
  }

  private static JsonNode json(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void textHeldBackAsAPossibleTagIsReportedBeforeAnError() {
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Three is less than four: 3 <\"}}]}");
    assertEquals(List.of("Three is less than four: 3 "), texts(), "'<' may start a tag: held");
    data("{\"error\":{\"message\":\"overloaded\"}}");
    assertEquals(List.of("Three is less than four: 3 ", "<"), texts());
    assertEquals("error:overloaded", out.getLast(), "the text first, then the error");
  }

  @Test
  void harmonyAnalysisIsNeverTextAndTheFinalChannelIs() {
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<|channel|>analysis<|message|>Hmm.<|end|>\"}}]}");
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<|start|>assistant<|channel|>final<|mes\"}}]}");
    data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"sage|>Yes.<|return|>\"}}]}");
    reader.finish();
    assertEquals(List.of("Yes."), texts());
  }
}
