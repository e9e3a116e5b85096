package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallAssemblerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Done(int index, String id, String name, JsonNode args, String raw) {}

  private final List<Done> done = new ArrayList<>();
  private int generated;
  private final ToolCallAssembler assembler =
      new ToolCallAssembler((i, id, name, a, raw) -> done.add(new Done(i, id, name, a, raw)), () -> "gen_" + generated++);

  private void feed(String json) throws Exception {
    assembler.accept(JSON.readTree(json));
  }

  @Test
  void fragmentedArgumentsCompleteWhenTheObjectCloses() throws Exception {
    feed("{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"lookup_order\",\"arguments\":\"\"}}");
    feed("{\"index\":0,\"function\":{\"arguments\":\"{\\\"order_id\\\":\"}}");
    assertEquals(0, done.size(), "not complete while the JSON is open");
    feed("{\"index\":0,\"function\":{\"arguments\":\"\\\"A}17\\\"}\"}}");
    assertEquals(1, done.size(), "complete as soon as the object closes, a brace inside a string does not count");
    assertEquals("call_1", done.get(0).id());
    assertEquals("lookup_order", done.get(0).name());
    assertEquals("A}17", done.get(0).args().get("order_id").asText());
    assembler.finish();
    assertEquals(1, done.size(), "never dispatched twice");
  }

  @Test
  void emptyIdAndNameNeverOverwriteAndRepeatedIdDoesNotStartANewCall() throws Exception {
    feed("{\"index\":0,\"id\":\"call_9\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}");
    feed("{\"index\":0,\"id\":\"\",\"function\":{\"name\":\"\",\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}");
    assertEquals(List.of(new Done(0, "call_9", "get_weather", JSON.readTree("{\"city\":\"Paris\"}"),
        "{\"city\":\"Paris\"}")), done);
  }

  @Test
  void missingIndexSingleCallUsesZeroAndMissingIdGetsGenerated() throws Exception {
    feed("{\"function\":{\"name\":\"now\"}}");
    feed("{\"function\":{\"arguments\":\"{}\"}}");
    assertEquals(1, done.size());
    assertEquals(0, done.get(0).index());
    assertEquals("gen_0", done.get(0).id());
    assertEquals("now", done.get(0).name());
  }

  @Test
  void missingIndexWithSeveralCallsCorrelatesById() throws Exception {
    feed("{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":\"}}");
    feed("{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"y\\\":\"}}");
    feed("{\"id\":\"a\",\"function\":{\"arguments\":\"1}\"}}");
    feed("{\"id\":\"b\",\"function\":{\"arguments\":\"2}\"}}");
    assertEquals(List.of("a:f:{\"x\":1}", "b:g:{\"y\":2}"),
        done.stream().map(d -> d.id() + ":" + d.name() + ":" + d.args()).toList());
    assertEquals(List.of(0, 1), done.stream().map(Done::index).toList());
  }

  @Test
  void nameArrivingAfterTheIdIsKept() throws Exception {
    feed("{\"index\":0,\"id\":\"c1\"}");
    feed("{\"index\":0,\"function\":{\"name\":\"late_name\",\"arguments\":\"{\\\"q\\\":1}\"}}");
    assertEquals("late_name", done.get(0).name());
  }

  @Test
  void parameterlessCallCompletesWhenTheNextCallStreamsArguments() throws Exception {
    feed("{\"index\":0,\"id\":\"c0\",\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}");
    feed("{\"index\":1,\"id\":\"c1\",\"function\":{\"name\":\"get_date\"}}");
    assertEquals(0, done.size(), "a header alone may be followed by interleaved fragments of call 0");
    feed("{\"index\":1,\"function\":{\"arguments\":\"{}\"}}");
    assertEquals(List.of("c0", "c1"), done.stream().map(Done::id).toList(), "the parameterless call completes first");
    assertEquals("{}", done.get(0).args().toString(), "empty arguments mean {}");
  }

  @Test
  void absentArgumentsAtStreamEndMeanAnEmptyObject() throws Exception {
    feed("{\"index\":0,\"id\":\"c0\",\"function\":{\"name\":\"get_date\"}}");
    assembler.finish();
    assertEquals("{}", done.get(0).args().toString());
  }

  @Test
  void interleavedFragmentsOfTwoCallsCompleteEachWhenItCloses() throws Exception {
    feed("{\"index\":0,\"id\":\"c0\",\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"p\\\":\"}}");
    feed("{\"index\":1,\"id\":\"c1\",\"function\":{\"name\":\"b\",\"arguments\":\"{\\\"q\\\":\"}}");
    assertEquals(0, done.size(), "an open call is not cut short because another began");
    feed("{\"index\":1,\"function\":{\"arguments\":\"2}\"}}");
    feed("{\"index\":0,\"function\":{\"arguments\":\"1}\"}}");
    assertEquals(List.of("c1", "c0"), done.stream().map(Done::id).toList());
  }

  @Test
  void argumentsAsAnAlreadyParsedObjectAreAccepted() throws Exception {
    feed("{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":{\"k\":[1,2]}}}");
    assertEquals(1, done.size());
    assertEquals("{\"k\":[1,2]}", done.get(0).args().toString());
  }

  @Test
  void unparseableArgumentsAreReportedWithRawTextAndNullArguments() throws Exception {
    feed("{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"k\\\": tru\"}}");
    assembler.finish();
    assertNull(done.get(0).args());
    assertEquals("{\"k\": tru", done.get(0).raw());
  }
}
