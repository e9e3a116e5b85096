package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Asks the emulator's rule-based model over HTTP and folds the streamed answer into a {@link Reply}. */
final class ModelReplies {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}";
  static final String FORECAST = "{\"type\":\"function\",\"function\":{\"name\":\"get_forecast\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},"
      + "\"required\":[\"city\"]}}}";
  static final String END_CALL = "{\"type\":\"function\",\"function\":{\"name\":\"end_call\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{}}}}";
  static final String TIME = "{\"type\":\"function\",\"function\":{\"name\":\"getLocalTime\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{}}}}";

  private ModelReplies() {}

  /** The reply folded from the stream: content, finish reason and each call as "name arguments". */
  record Reply(String content, String finish, List<String> calls) {}

  /** Posts {@code extra} fields (each starting with a comma) and {@code messages} (comma-separated objects). */
  static Reply ask(EmulatorFixture f, String extra, String messages) throws Exception {
    TestHttp.Response r = f.http.post("{\"model\":\"electron\",\"stream\":true" + extra + ",\"messages\":["
        + messages + "]}");
    StringBuilder content = new StringBuilder();
    List<StringBuilder> calls = new ArrayList<>();
    String finish = null;
    for (String event : r.body().split("\n\n")) {
      if (event.equals("data: [DONE]")) break;
      JsonNode choice = JSON.readTree(event.substring(6)).path("choices").path(0);
      content.append(choice.path("delta").path("content").asText(""));
      for (JsonNode call : choice.path("delta").path("tool_calls")) {
        int index = call.get("index").asInt();
        if (index == calls.size()) calls.add(new StringBuilder(call.path("function").path("name").asText() + " "));
        calls.get(index).append(call.path("function").path("arguments").asText());
      }
      if (choice.hasNonNull("finish_reason")) finish = choice.get("finish_reason").asText();
    }
    return new Reply(content.toString(), finish, calls.stream().map(StringBuilder::toString).toList());
  }

  static String user(String text) {
    return message("user", text).toString();
  }

  static String assistant(String text) {
    return message("assistant", text).toString();
  }

  /** An assistant message calling {@code name} with id {@code id}, followed by the tool's {@code result}. */
  static String toolTurn(String id, String name, String arguments, String result) {
    ObjectNode call = message("assistant", null);
    ArrayNode calls = call.putArray("tool_calls");
    calls.addObject().put("id", id).put("type", "function").putObject("function").put("name", name)
        .put("arguments", arguments);
    ObjectNode tool = JSON.createObjectNode().put("role", "tool").put("tool_call_id", id).put("content", result);
    return call + "," + tool;
  }

  private static ObjectNode message(String role, String text) {
    ObjectNode m = JSON.createObjectNode().put("role", role);
    if (text == null) m.putNull("content"); else m.put("content", text);
    return m;
  }
}
