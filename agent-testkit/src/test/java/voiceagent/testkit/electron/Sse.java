package voiceagent.testkit.electron;

/**
 * Expected SSE text for the emulator tests, written with {@code '} for {@code "} and a backtick for an escaped quote
 * inside a JSON string, so that expectations stay readable.
 */
final class Sse {
  static final String DONE = "data: [DONE]\n\n";

  /** A received body and the expectations builder for its request. */
  record Expect(Sse sse, String body) {}

  private final String requestId;

  Sse(String requestId) {
    this.requestId = requestId;
  }

  static String q(String s) {
    return s.replace('\'', '"').replace("`", "\\\"");
  }

  String head() {
    return q("{'id':'chatcmpl-" + requestId + "','object':'chat.completion.chunk','created':"
        + EmulatorFixture.CREATED + ",'model':'electron',");
  }

  /** A data event of a chunk with these choices (single-quoted JSON) and optional extra fields. */
  String chunk(String choices, String extra) {
    return "data: " + head() + q("'choices':[" + choices + "]" + extra + "}") + "\n\n";
  }

  String chunk(String choices) {
    return chunk(choices, "");
  }

  /** A chunk with one choice carrying {@code delta} and {@code finish_reason: null}. */
  String delta(String delta) {
    return chunk(choice(delta));
  }

  static String choice(String delta) {
    return "{'index':0,'delta':" + delta + ",'finish_reason':null}";
  }

  String finish(String reason) {
    return chunk("{'index':0,'delta':{},'finish_reason':'" + reason + "'}");
  }

  static String usage(int prompt, int completion, int cached) {
    return "'usage':{'prompt_tokens':" + prompt + ",'completion_tokens':" + completion + ",'total_tokens':"
        + (prompt + completion) + ",'prompt_tokens_details':{'cached_tokens':" + cached + "}}";
  }

  String usageChunk(int prompt, int completion, int cached) {
    return chunk("", "," + usage(prompt, completion, cached));
  }
}
