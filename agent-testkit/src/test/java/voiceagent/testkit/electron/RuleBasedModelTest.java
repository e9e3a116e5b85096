package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default responder, driven over HTTP: echo, tool calls by keyword, tool-result summaries, stop and max_tokens. */
class RuleBasedModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}";
  private static final String TIME = "{\"type\":\"function\",\"function\":{\"name\":\"getLocalTime\",\"parameters\":"
      + "{\"type\":\"object\",\"properties\":{}}}}";
  private static EmulatorFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = EmulatorFixture.manual();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  /** The reply folded from the stream: content, finish reason and each call as "name arguments". */
  private record Reply(String content, String finish, List<String> calls) {}

  private static Reply ask(String extra, String messages) throws Exception {
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

  private static String user(String text) {
    return "{\"role\":\"user\",\"content\":\"" + text + "\"}";
  }

  @Test
  void echoesTheUserWithoutMatchingTools() throws Exception {
    assertEquals(new Reply("You said: hello. How can I help you further?", "stop", List.of()), ask("", user("hello")));
    assertEquals(new Reply("You said: tell me a joke. How can I help you further?", "stop", List.of()),
        ask(",\"tools\":[" + WEATHER + "]", user("Tell me a joke!").replace("Tell", "tell")));
  }

  @Test
  void callsEveryToolWhoseKeywordIsMentionedWithTheCapitalisedName() throws Exception {
    Reply reply = ask(",\"tools\":[" + WEATHER + "," + TIME + "]",
        user("What is the weather and the local time in New York?"));
    assertEquals("Let me check that.", reply.content());
    assertEquals("tool_calls", reply.finish());
    assertEquals(List.of("get_weather {\"city\":\"New York\"}", "getLocalTime {}"), reply.calls());
  }

  @Test
  void noCallWhenARequiredArgumentIsMissingOrToolChoiceIsNone() throws Exception {
    assertEquals(List.of(), ask(",\"tools\":[" + WEATHER + "]", user("how is the weather")).calls());
    assertEquals(List.of(), ask(",\"tool_choice\":\"none\",\"tools\":[" + WEATHER + "]",
        user("weather in Paris")).calls());
  }

  @Test
  void summarisesTrailingToolResults() throws Exception {
    String messages = user("weather in Paris") + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"{\\\"city\\\":\\\"Paris\\\",\\\"temp_c\\\":18}\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":\"10:42\"}";
    assertEquals(new Reply("Here is what I found: city: Paris, temp_c: 18; 10:42.", "stop", List.of()),
        ask(",\"tools\":[" + WEATHER + "]", messages));
  }

  @Test
  void honoursStopAndMaxTokens() throws Exception {
    assertEquals(new Reply("You said: hello", "stop", List.of()), ask(",\"stop\":[\".\"]", user("hello")));
    assertEquals(new Reply("You said: hello", "length", List.of()), ask(",\"max_tokens\":4", user("hello")));
  }
}
