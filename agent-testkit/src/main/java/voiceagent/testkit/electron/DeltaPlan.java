package voiceagent.testkit.electron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import voiceagent.testkit.electron.ElectronReplyBuilder.ToolCall;
import voiceagent.testkit.electron.ElectronReplyBuilder.ToolContent;

/**
 * The {@code delta} objects of a scripted stream, in order, before role, finish and usage are added.
 *
 * <p>Thread contract: stateless.
 */
final class DeltaPlan {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One delta and the text it adds to the completion (content, reasoning or argument fragment). */
  record Delta(ObjectNode node, String text) {}

  private DeltaPlan() {}

  /** Reasoning, think-tag and text deltas; with {@code withTools}, then the tool-call deltas. */
  static List<Delta> deltas(ElectronReplyBuilder s, boolean withTools) {
    List<Delta> out = new ArrayList<>();
    if (s.reasoningText != null) {
      for (String f : TextFragments.words(s.reasoningText)) out.add(new Delta(JSON.objectNode().put(s.reasoningField, f), f));
    }
    List<String> content = StreamRenderer.contentFragments(s);
    for (String f : content) out.add(new Delta(JSON.objectNode().put("content", f), f));
    if (!withTools || s.toolCalls.isEmpty()) return out;

    List<List<Delta>> perCall = new ArrayList<>();
    for (int i = 0; i < s.toolCalls.size(); i++) perCall.add(callDeltas(s, i, s.toolCalls.get(i)));
    List<Delta> tools = new ArrayList<>();
    if (s.interleaveToolCalls) {
      for (int round = 0; tools.size() < perCall.stream().mapToInt(List::size).sum(); round++) {
        for (List<Delta> call : perCall) if (round < call.size()) tools.add(call.get(round));
      }
    } else {
      perCall.forEach(tools::addAll);
    }
    if (s.contentWithFirstToolCall && !content.isEmpty()) {
      Delta lastText = out.remove(out.size() - 1);
      Delta head = tools.remove(0);
      ObjectNode merged = JSON.objectNode().put("content", lastText.text());
      merged.setAll(head.node());
      tools.add(0, new Delta(merged, lastText.text() + head.text()));
    }
    out.addAll(tools);
    return out;
  }

  private static List<Delta> callDeltas(ElectronReplyBuilder s, int index, ToolCall call) {
    List<Delta> out = new ArrayList<>();
    ObjectNode head = JSON.objectNode();
    if (!s.missingIndex) head.put("index", index);
    head.put("id", call.id());
    if (!s.missingType) head.put("type", "function");
    ObjectNode function = head.putObject("function");
    if (!s.nameInLaterDelta) function.put("name", call.name());
    if (s.argumentsAsObject) {
      function.set("arguments", parse(call.arguments()));
    } else {
      function.put("arguments", s.argumentsWhole ? call.arguments() : "");
    }
    out.add(new Delta(head, s.argumentsWhole ? call.arguments() : ""));
    if (!s.argumentsWhole) {
      for (String piece : TextFragments.pieces(call.arguments(), s.argumentFragments)) {
        ObjectNode d = JSON.objectNode();
        if (!s.missingIndex) d.put("index", index);
        ObjectNode f;
        if (s.repeatIdAndName) {
          d.put("id", call.id()).put("type", "function");
          f = d.putObject("function").put("name", call.name());
        } else if (s.repeatEmptyIdAndName) {
          d.put("id", "");
          f = d.putObject("function").put("name", "");
        } else {
          f = d.putObject("function");
        }
        f.put("arguments", piece);
        out.add(new Delta(d, piece));
      }
    }
    if (s.nameInLaterDelta) {
      if (out.size() == 1) {
        ObjectNode d = JSON.objectNode();
        if (!s.missingIndex) d.put("index", index);
        d.putObject("function").put("name", call.name());
        out.add(new Delta(d, ""));
      } else {
        ObjectNode f = (ObjectNode) out.get(1).node().get("function");
        ObjectNode named = JSON.objectNode().put("name", call.name());
        named.setAll(f);
        out.get(1).node().set("function", named);
      }
    }
    List<Delta> wrapped = new ArrayList<>();
    for (Delta d : out) wrapped.add(new Delta(wrap(s.toolContent, d.node()), d.text()));
    return wrapped;
  }

  private static ObjectNode wrap(ToolContent toolContent, ObjectNode toolDelta) {
    ObjectNode delta = JSON.objectNode();
    switch (toolContent) {
      case NULL -> delta.putNull("content");
      case EMPTY_STRING -> delta.put("content", "");
      case ABSENT -> { }
    }
    delta.putArray("tool_calls").add(toolDelta);
    return delta;
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("argumentsAsObject needs valid JSON arguments, got " + json, e);
    }
  }
}
