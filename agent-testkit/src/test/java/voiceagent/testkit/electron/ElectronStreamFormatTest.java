package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static voiceagent.testkit.electron.Sse.DONE;
import static voiceagent.testkit.electron.Sse.q;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voiceagent.testkit.electron.ElectronReplyBuilder.CachedTokensAt;

/** Text streams: the exact SSE bytes of the Electron default and of each framing, role and usage variant. */
class ElectronStreamFormatTest {
  private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  private EmulatorFixture f;

  @BeforeEach
  void start() throws Exception {
    f = EmulatorFixture.manual();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private TestHttp.Response send(ElectronReplyBuilder script) throws Exception {
    f.emulator.enqueue(script.build());
    return f.http.post(TestHttp.USER_HI);
  }

  @Test
  void textReplyIsRoleWordFragmentsFinishUsageAndDone() throws Exception {
    f.emulator.enqueue(ElectronReply.text("It costs $100 today."));
    TestHttp.Response r = f.http.post(TestHttp.USER_HI);
    Sse e = new Sse(r.requestId());
    int prompt = CL100K.countTokensOrdinary("<|user|>\nhi\n");
    int completion = CL100K.countTokensOrdinary("It costs $100 today.");
    assertEquals(200, r.status());
    assertEquals("text/event-stream", r.headers().get("Content-Type"));
    assertEquals(e.delta(q("{'role':'assistant','content':'It'}")) + e.delta(q("{'content':' costs'}"))
        + e.delta(q("{'content':' $1'}")) + e.delta(q("{'content':'00'}")) + e.delta(q("{'content':' today.'}"))
        + e.finish("stop") + e.usageChunk(prompt, completion, 0) + DONE, r.body());
  }

  @Test
  void noUsageChunkWhenTheRequestDidNotAskForIt() throws Exception {
    f.emulator.enqueue(ElectronReply.text("Hi"));
    TestHttp.Response r = f.http.post(TestHttp.USER_HI.replace(",\"stream_options\":{\"include_usage\":true}", ""));
    Sse e = new Sse(r.requestId());
    assertEquals(e.delta(q("{'role':'assistant','content':'Hi'}")) + e.finish("stop") + DONE, r.body());
  }

  @Test
  void framingVariantsCrlfNoSpaceEventAndCommentLines() throws Exception {
    TestHttp.Response r = send(ElectronReply.builder().text("Hi").usage(5, 1, 0)
        .crlf().noSpaceAfterData().eventLines().commentLines().emptyDataLine());
    Sse e = new Sse(r.requestId());
    String lf = e.delta(q("{'role':'assistant','content':'Hi'}")) + e.finish("stop") + e.usageChunk(5, 1, 0);
    String events = lf.replace("data: ", "event: message\ndata:");
    String expected = ": processing\n\ndata:\n\n" + events + ": ping\n\nevent: message\ndata:[DONE]\n\n";
    assertEquals(expected.replace("\n", "\r\n"), r.body());
  }

  @Test
  void roleInEveryDeltaAndNoRole() throws Exception {
    TestHttp.Response every = send(ElectronReply.builder().contentFragments("A", "B").noUsage().roleInEveryDelta());
    Sse e = new Sse(every.requestId());
    assertEquals(e.delta(q("{'role':'assistant','content':'A'}")) + e.delta(q("{'role':'assistant','content':'B'}"))
        + e.chunk(q("{'index':0,'delta':{'role':'assistant'},'finish_reason':'stop'}")) + DONE, every.body());

    TestHttp.Response never = send(ElectronReply.builder().contentFragments("A").noUsage().noRole());
    Sse n = new Sse(never.requestId());
    assertEquals(n.delta(q("{'content':'A'}")) + n.finish("stop") + DONE, never.body());
  }

  @Test
  void usageInFinishChunkWithoutChoicesOrWithNullChoices() throws Exception {
    TestHttp.Response inFinish = send(ElectronReply.builder().text("A").usage(5, 1, 2).usageInFinishChunk());
    Sse e = new Sse(inFinish.requestId());
    assertEquals(e.delta(q("{'role':'assistant','content':'A'}"))
        + e.chunk(q("{'index':0,'delta':{},'finish_reason':'stop'}"), "," + Sse.usage(5, 1, 2)) + DONE,
        inFinish.body());

    TestHttp.Response nullChoices = send(ElectronReply.builder().text("A").usage(5, 1, 2).usageChoicesNull()
        .usageNullOnChunks());
    Sse n = new Sse(nullChoices.requestId());
    assertEquals(n.chunk(Sse.choice(q("{'role':'assistant','content':'A'}")), ",'usage':null")
        + n.chunk(q("{'index':0,'delta':{},'finish_reason':'stop'}"), ",'usage':null")
        + "data: " + n.head() + q("'choices':null," + Sse.usage(5, 1, 2) + "}") + "\n\n" + DONE,
        nullChoices.body());

    TestHttp.Response noChoices = send(ElectronReply.builder().text("A").usage(5, 1, 2).usageWithoutChoices());
    Sse m = new Sse(noChoices.requestId());
    assertEquals(m.delta(q("{'role':'assistant','content':'A'}")) + m.finish("stop")
        + "data: " + m.head() + q(Sse.usage(5, 1, 2) + "}") + "\n\n" + DONE, noChoices.body());
  }

  @Test
  void cumulativeUsageOnEveryChunk() throws Exception {
    TestHttp.Response r = send(ElectronReply.builder().contentFragments("Hello", " world").usageOnEveryChunk());
    Sse e = new Sse(r.requestId());
    int prompt = CL100K.countTokensOrdinary("<|user|>\nhi\n");
    assertEquals(e.chunk(Sse.choice(q("{'role':'assistant','content':'Hello'}")), "," + Sse.usage(prompt, 1, 0))
        + e.chunk(Sse.choice(q("{'content':' world'}")), "," + Sse.usage(prompt, 2, 0))
        + e.chunk(q("{'index':0,'delta':{},'finish_reason':'stop'}"), "," + Sse.usage(prompt, 2, 0)) + DONE,
        r.body());
  }

  @Test
  void cachedTokensAtTopLevelAndAsPromptCacheHit() throws Exception {
    TestHttp.Response top = send(ElectronReply.builder().text("A").usage(10, 1, 8).noRole()
        .cachedTokensAt(CachedTokensAt.TOP_LEVEL));
    Sse e = new Sse(top.requestId());
    assertEquals(e.delta(q("{'content':'A'}")) + e.finish("stop") + e.chunk("",
        q(",'usage':{'prompt_tokens':10,'completion_tokens':1,'total_tokens':11,'cached_tokens':8}")) + DONE,
        top.body());

    TestHttp.Response hit = send(ElectronReply.builder().text("A").usage(10, 1, 8).noRole()
        .cachedTokensAt(CachedTokensAt.PROMPT_CACHE_HIT));
    Sse h = new Sse(hit.requestId());
    assertEquals(h.delta(q("{'content':'A'}")) + h.finish("stop") + h.chunk("", q(",'usage':{'prompt_tokens':10,"
        + "'completion_tokens':1,'total_tokens':11,'prompt_cache_hit_tokens':8,'prompt_cache_miss_tokens':2}")) + DONE,
        hit.body());
  }

  @Test
  void leadingEmptyChoicesChunkExtraChoiceAndPadding() throws Exception {
    TestHttp.Response r = send(ElectronReply.builder().text("A").noUsage().leadingEmptyChoicesChunk()
        .extraChoice("ignore me").veryLongDataLine(70_000));
    Sse e = new Sse(r.requestId());
    assertEquals(e.chunk("", q(",'prompt_filter_results':[{'prompt_index':0,'content_filter_results':{}}]"))
        + e.chunk(Sse.choice(q("{'role':'assistant','content':'A'}"))
            + q(",{'index':1,'delta':{'role':'assistant','content':'ignore me'},'finish_reason':null}"),
            q(",'x_padding':'" + "x".repeat(70_000) + "'"))
        + e.finish("stop") + DONE, r.body());
  }

  @Test
  void finishVariantsRepeatedMissingOnLastChunkAndUnknown() throws Exception {
    TestHttp.Response repeated = send(ElectronReply.builder().text("A").noUsage().noRole().finishReasonRepeated());
    Sse e = new Sse(repeated.requestId());
    assertEquals(e.delta(q("{'content':'A'}")) + e.finish("stop") + e.finish("stop") + DONE, repeated.body());

    TestHttp.Response missing = send(ElectronReply.builder().text("A").noUsage().noRole().noFinishReason().noDone());
    assertEquals(new Sse(missing.requestId()).delta(q("{'content':'A'}")), missing.body());

    TestHttp.Response onLast = send(ElectronReply.builder().text("A").noUsage().noRole().finishOnLastChunk()
        .finishReason("eos_token"));
    assertEquals(new Sse(onLast.requestId()).chunk(q("{'index':0,'delta':{'content':'A'},'finish_reason':'eos_token'}"))
        + DONE, onLast.body());
  }

  @Test
  void reasoningFieldsAndThinkTagsComeBeforeTheText() throws Exception {
    TestHttp.Response r = send(ElectronReply.builder().reasoningContent("Greet them.").text("Hi").noUsage()
        .thinkTags("hmm"));
    Sse e = new Sse(r.requestId());
    assertEquals(e.delta(q("{'role':'assistant','reasoning_content':'Greet'}"))
        + e.delta(q("{'reasoning_content':' them.'}")) + e.delta(q("{'content':'<th'}"))
        + e.delta(q("{'content':'ink>'}")) + e.delta(q("{'content':'hmm'}")) + e.delta(q("{'content':'</thi'}"))
        + e.delta(q("{'content':'nk>'}")) + e.delta(q("{'content':'Hi'}")) + e.finish("stop") + DONE, r.body());

    TestHttp.Response plain = send(ElectronReply.builder().reasoning("x").noUsage().noRole());
    Sse p = new Sse(plain.requestId());
    assertEquals(p.delta(q("{'reasoning':'x'}")) + p.finish("stop") + DONE, plain.body());
  }

  @Test
  void bareChunksAndVaryingIdsAndModel() throws Exception {
    TestHttp.Response bare = send(ElectronReply.builder().text("A").noUsage().noRole().bareChunks());
    assertEquals(q("data: {'choices':[{'index':0,'delta':{'content':'A'},'finish_reason':null}]}\n\n"
        + "data: {'choices':[{'index':0,'delta':{},'finish_reason':'stop'}]}\n\n") + DONE, bare.body());

    TestHttp.Response varying = send(ElectronReply.builder().text("A").noUsage().noRole().varyingChunkIds()
        .model("electron-2026-01"));
    String id = "chatcmpl-" + varying.requestId();
    String head = q("{'object':'chat.completion.chunk','created':1700000000,'model':'electron-2026-01',");
    assertEquals(q("data: {'id':'" + id + "-0',") + head.substring(1) + q("'choices':[{'index':0,'delta':{'content':'A'},"
        + "'finish_reason':null}]}\n\n") + q("data: {'id':'" + id + "-1',") + head.substring(1)
        + q("'choices':[{'index':0,'delta':{},'finish_reason':'stop'}]}\n\n") + DONE, varying.body());
  }

  @Test
  void nonStreamingRequestGetsOneCompletionObject() throws Exception {
    f.emulator.enqueue(ElectronReply.builder().text("Hi there").usage(5, 2, 0).build());
    TestHttp.Response r = f.http.post("{\"model\":\"electron\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals("application/json", r.headers().get("Content-Type"));
    assertEquals(q("{'id':'chatcmpl-" + r.requestId() + "','object':'chat.completion','created':1700000000,"
        + "'model':'electron','choices':[{'index':0,'message':{'role':'assistant','content':'Hi there'},"
        + "'finish_reason':'stop'}]," + Sse.usage(5, 2, 0) + "}"), r.body());
  }

  @Test
  void harmonyMarkupWrapsTheTextWithEveryTokenSplit() throws Exception {
    TestHttp.Response r = send(ElectronReply.builder().harmony("Think.").text("Hi").noUsage().noRole());
    Sse e = new Sse(r.requestId());
    StringBuilder expected = new StringBuilder();
    for (String f : List.of("<|chan", "nel|>analysis<", "|message|>", "Think.", "<|end",
        "|><|start|>assis", "tant<|channel|", ">final<|mess", "age|>", "Hi", "<|ret", "urn|>")) {
      expected.append(e.delta("{\"content\":\"" + f + "\"}"));
    }
    assertEquals(expected + e.finish("stop") + DONE, r.body());
  }

  @Test
  void aServerThatIgnoresStreamTrueAnswersOneCompletionObject() throws Exception {
    TestHttp.Response r = send(ElectronReply.builder().text("Hi there").usage(5, 2, 0).ignoreStream());
    assertEquals("application/json", r.headers().get("Content-Type"));
    assertEquals(q("{'id':'chatcmpl-" + r.requestId() + "','object':'chat.completion','created':1700000000,"
        + "'model':'electron','choices':[{'index':0,'message':{'role':'assistant','content':'Hi there'},"
        + "'finish_reason':'stop'}]," + Sse.usage(5, 2, 0) + "}"), r.body());
  }
}
