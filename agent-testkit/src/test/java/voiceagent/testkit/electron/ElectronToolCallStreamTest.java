package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static voiceagent.testkit.electron.Sse.DONE;
import static voiceagent.testkit.electron.Sse.q;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tool-call streams: the exact SSE bytes of Electron's parallel calls and of each §10 tool-delta variant. */
class ElectronToolCallStreamTest {
  private static final String NO_USAGE_REQUESTED =
      TestHttp.USER_HI.replace(",\"stream_options\":{\"include_usage\":true}", "");
  private static final String PARIS = "{\"city\":\"Paris\"}";
  private EmulatorFixture f;

  @BeforeEach
  void start() throws Exception {
    f = EmulatorFixture.manual();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private Sse.Expect send(ElectronReplyBuilder script) throws Exception {
    f.emulator.enqueue(script.build());
    TestHttp.Response r = f.http.post(NO_USAGE_REQUESTED);
    return new Sse.Expect(new Sse(r.requestId()), r.body());
  }

  private static String call(String toolDelta) {
    return "{'tool_calls':[" + toolDelta + "]}";
  }

  @Test
  void parallelCallsHaveHeadDeltaThenArgumentFragmentsPerIndex() throws Exception {
    Sse.Expect r = send(ElectronReply.builder().text("Let me check.").toolCall("call_1", "get_weather", PARIS)
        .toolCall("call_2", "get_time", "{\"tz\":\"CET\"}").fragmentArguments(2).usage(50, 20, 0).usageSeparate());
    Sse e = r.sse();
    assertEquals(e.delta(q("{'role':'assistant','content':'Let'}")) + e.delta(q("{'content':' me'}"))
        + e.delta(q("{'content':' check.'}"))
        + e.delta(q(call("{'index':0,'id':'call_1','type':'function','function':{'name':'get_weather','arguments':''}}")))
        + e.delta(q(call("{'index':0,'function':{'arguments':'{`city`:'}}")))
        + e.delta(q(call("{'index':0,'function':{'arguments':'`Paris`}'}}")))
        + e.delta(q(call("{'index':1,'id':'call_2','type':'function','function':{'name':'get_time','arguments':''}}")))
        + e.delta(q(call("{'index':1,'function':{'arguments':'{`tz`:'}}")))
        + e.delta(q(call("{'index':1,'function':{'arguments':'`CET`}'}}")))
        + e.finish("tool_calls") + e.usageChunk(50, 20, 0) + DONE, r.body());
  }

  @Test
  void interleavedCallsAlternateTheirDeltas() throws Exception {
    Sse.Expect r = send(ElectronReply.builder().toolCall("a", "f", "{}").toolCall("b", "g", "[]").noRole()
        .fragmentArguments(1).interleaveToolCalls());
    Sse e = r.sse();
    assertEquals(e.delta(q(call("{'index':0,'id':'a','type':'function','function':{'name':'f','arguments':''}}")))
        + e.delta(q(call("{'index':1,'id':'b','type':'function','function':{'name':'g','arguments':''}}")))
        + e.delta(q(call("{'index':0,'function':{'arguments':'{}'}}")))
        + e.delta(q(call("{'index':1,'function':{'arguments':'[]'}}")))
        + e.finish("tool_calls") + DONE, r.body());
  }

  @Test
  void argumentsWholeAsStringOrAsObject() throws Exception {
    Sse.Expect whole = send(ElectronReply.builder().toolCall("c", "get_weather", PARIS).noRole().argumentsWhole());
    assertEquals(whole.sse().delta(q(call("{'index':0,'id':'c','type':'function','function':{'name':'get_weather',"
        + "'arguments':'{`city`:`Paris`}'}}"))) + whole.sse().finish("tool_calls") + DONE, whole.body());

    Sse.Expect object = send(ElectronReply.builder().toolCall("c", "get_weather", PARIS).noRole().argumentsAsObject());
    assertEquals(object.sse().delta(q(call("{'index':0,'id':'c','type':'function','function':{'name':'get_weather',"
        + "'arguments':{'city':'Paris'}}}"))) + object.sse().finish("tool_calls") + DONE, object.body());
  }

  @Test
  void missingIndexAndTypeWithRepeatedEmptyIdAndName() throws Exception {
    Sse.Expect r = send(ElectronReply.builder().toolCall("c", "f", "{}").noRole().fragmentArguments(1)
        .missingIndex().missingType().repeatEmptyIdAndName());
    Sse e = r.sse();
    assertEquals(e.delta(q(call("{'id':'c','function':{'name':'f','arguments':''}}")))
        + e.delta(q(call("{'id':'','function':{'name':'','arguments':'{}'}}"))) + e.finish("tool_calls") + DONE,
        r.body());
  }

  @Test
  void repeatedIdAndNameOnEveryDelta() throws Exception {
    Sse.Expect r = send(ElectronReply.builder().toolCall("c", "f", "{}").noRole().fragmentArguments(1)
        .repeatIdAndName());
    Sse e = r.sse();
    assertEquals(e.delta(q(call("{'index':0,'id':'c','type':'function','function':{'name':'f','arguments':''}}")))
        + e.delta(q(call("{'index':0,'id':'c','type':'function','function':{'name':'f','arguments':'{}'}}")))
        + e.finish("tool_calls") + DONE, r.body());
  }

  @Test
  void nameArrivesInTheDeltaAfterTheId() throws Exception {
    Sse.Expect r = send(ElectronReply.builder().toolCall("c", "f", "{}").noRole().fragmentArguments(2)
        .nameInLaterDelta());
    Sse e = r.sse();
    assertEquals(e.delta(q(call("{'index':0,'id':'c','type':'function','function':{'arguments':''}}")))
        + e.delta(q(call("{'index':0,'function':{'name':'f','arguments':'{'}}")))
        + e.delta(q(call("{'index':0,'function':{'arguments':'}'}}"))) + e.finish("tool_calls") + DONE, r.body());
  }

  @Test
  void toolDeltasWithNullOrEmptyContentAndSharedContentChunk() throws Exception {
    Sse.Expect nulls = send(ElectronReply.builder().toolCall("c", "f", "{}").noRole().fragmentArguments(1)
        .contentNullInToolChunks());
    Sse e = nulls.sse();
    assertEquals(e.delta(q("{'content':null,'tool_calls':[{'index':0,'id':'c','type':'function','function':"
        + "{'name':'f','arguments':''}}]}")) + e.delta(q("{'content':null,'tool_calls':[{'index':0,'function':"
        + "{'arguments':'{}'}}]}")) + e.finish("tool_calls") + DONE, nulls.body());

    Sse.Expect empty = send(ElectronReply.builder().toolCall("c", "f", "{}").noRole().argumentsWhole()
        .emptyStringContent());
    assertEquals(empty.sse().delta(q("{'content':'','tool_calls':[{'index':0,'id':'c','type':'function',"
        + "'function':{'name':'f','arguments':'{}'}}]}")) + empty.sse().finish("tool_calls") + DONE, empty.body());

    Sse.Expect shared = send(ElectronReply.builder().text("Checking.").toolCall("c", "f", "{}").argumentsWhole()
        .contentWithFirstToolCall().finishReason("stop"));
    assertEquals(shared.sse().delta(q("{'role':'assistant','content':'Checking.','tool_calls':[{'index':0,'id':'c',"
        + "'type':'function','function':{'name':'f','arguments':'{}'}}]}")) + shared.sse().finish("stop") + DONE,
        shared.body());
  }
}
