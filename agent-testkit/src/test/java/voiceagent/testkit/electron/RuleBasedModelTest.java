package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static voiceagent.testkit.electron.ModelReplies.TIME;
import static voiceagent.testkit.electron.ModelReplies.WEATHER;
import static voiceagent.testkit.electron.ModelReplies.user;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voiceagent.testkit.electron.ModelReplies.Reply;

/** The default responder, driven over HTTP: tool calls by keyword, tool-result sentences, stop and max_tokens. */
class RuleBasedModelTest {
  private static EmulatorFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = EmulatorFixture.manual();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  private static Reply ask(String extra, String messages) throws Exception {
    return ModelReplies.ask(f, extra, messages);
  }

  @Test
  void neverEchoesTheCaller() throws Exception {
    assertEquals(new Reply("Hello! How can I help you today?", "stop", List.of()), ask("", user("hello")));
    assertEquals(new Reply("Sorry, I can't help with that.", "stop", List.of()), ask("", user("tell me a joke")));
    assertEquals(new Reply("Sorry, I can only help with weather questions.", "stop", List.of()),
        ask(",\"tools\":[" + WEATHER + "]", user("Tell me a joke!")));
  }

  @Test
  void callsEveryToolWhoseKeywordIsMentionedWithThePlace() throws Exception {
    Reply reply = ask(",\"tools\":[" + WEATHER + "," + TIME + "]",
        user("What is the weather and the local time in New York?"));
    assertEquals("", reply.content(), "no preamble: the runtime's filler covers the wait");
    assertEquals("tool_calls", reply.finish());
    assertEquals(List.of("get_weather {\"city\":\"New York\"}", "getLocalTime {}"), reply.calls());
  }

  @Test
  void aMissingPlaceIsAskedForAndToolChoiceNoneCallsNothing() throws Exception {
    assertEquals(new Reply("Sure, which city?", "stop", List.of()),
        ask(",\"tools\":[" + WEATHER + "]", user("how is the weather")));
    assertEquals(List.of(), ask(",\"tool_choice\":\"none\",\"tools\":[" + WEATHER + "]",
        user("weather in Paris")).calls());
  }

  @Test
  void speaksEachTrailingToolResultFromItsContent() throws Exception {
    String messages = user("weather and time in Paris") + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
        + "{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}},"
        + "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"getLocalTime\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"{\\\"city\\\":\\\"Paris\\\",\\\"temp_c\\\":18}\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":\"10:42\"}";
    assertEquals(new Reply("Here is the weather for Paris: temp c 18. Here is the local time: 10:42.", "stop",
        List.of()), ask(",\"tools\":[" + WEATHER + "]", messages));
  }

  @Test
  void honoursStopAndMaxTokens() throws Exception {
    assertEquals(new Reply("Hello", "stop", List.of()), ask(",\"stop\":[\"!\"]", user("hello")));
    assertEquals(new Reply("Hello", "length", List.of()), ask(",\"max_tokens\":1", user("hello")));
  }
}
