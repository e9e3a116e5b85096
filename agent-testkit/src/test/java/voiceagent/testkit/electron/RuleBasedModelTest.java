package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static voiceagent.testkit.electron.ModelReplies.END_CALL;
import static voiceagent.testkit.electron.ModelReplies.FORECAST;
import static voiceagent.testkit.electron.ModelReplies.TIME;
import static voiceagent.testkit.electron.ModelReplies.WEATHER;
import static voiceagent.testkit.electron.ModelReplies.assistant;
import static voiceagent.testkit.electron.ModelReplies.toolTurn;
import static voiceagent.testkit.electron.ModelReplies.user;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import voiceagent.testkit.electron.ModelReplies.Reply;

/**
 * The default responder, driven over HTTP: tool calls by keyword, tool-result sentences, stop and max_tokens; and a
 * weather call held with it: questions for any city, small talk, follow-ups, never an echo.
 */
class RuleBasedModelTest {
  private static final String WEATHER_TOOLS = ",\"tools\":[" + END_CALL + "," + FORECAST + "," + WEATHER + "]";
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

  /** Asks with the weather agent's tools offered. */
  private static Reply call(String... messages) throws Exception {
    return ModelReplies.ask(f, WEATHER_TOOLS, String.join(",", messages));
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "What's the weather in San Francisco?                | get_weather {\"city\":\"San Francisco\"}",
      "what's the weather in san francisco                 | get_weather {\"city\":\"San Francisco\"}",
      "forecast for tomorrow in new york                   | get_forecast {\"city\":\"New York\",\"days\":2}",
      "is it raining in Paris?                             | get_weather {\"city\":\"Paris\"}",
      "IS IT RAINING IN PARIS                              | get_weather {\"city\":\"Paris\"}",
      "And the forecast for Tokyo for the next two days?   | get_forecast {\"city\":\"Tokyo\",\"days\":2}",
      "what's the weather like in rio de janeiro right now | get_weather {\"city\":\"Rio de Janeiro\"}",
      "Hi, what's the weather in Paris?                    | get_weather {\"city\":\"Paris\"}",
      "how hot is it in mumbai today                       | get_weather {\"city\":\"Mumbai\"}",
      "whats the weather tomorrow in london                | get_forecast {\"city\":\"London\",\"days\":2}",
      "will it snow in the Hague this weekend              | get_forecast {\"city\":\"Hague\"}",
      "weather for ulaanbaatar please                      | get_weather {\"city\":\"Ulaanbaatar\"}"})
  void weatherQuestionsForAnyCityCallTheTool(String question, String call) throws Exception {
    Reply reply = call(user(question));
    assertEquals(List.of(call), reply.calls());
    assertEquals("", reply.content());
  }

  @Test
  void greetingThanksAndGoodbyeAreAnsweredSensibly() throws Exception {
    assertEquals(new Reply("Hello! I can help with forecast and weather questions. What would you like to know?",
        "stop", List.of()), call(user("hello there")));
    assertEquals("Hello! How can I help you today?",
        ModelReplies.ask(f, "", user("Good morning!")).content(), "without tools");
    assertEquals(new Reply("You're welcome! Is there anything else I can help you with?", "stop", List.of()),
        call(user("thank you")));
  }

  @Test
  void goodbyeSaysAClosingLineAndCallsEndCallWhenOffered() throws Exception {
    Reply bye = call(user("Thanks, bye."));
    assertEquals(RuleBasedModel.GOODBYE, bye.content());
    assertEquals(List.of("end_call {}"), bye.calls());
    assertEquals(bye, call(user("no that's all")));
    Reply noTool = ModelReplies.ask(f, ",\"tools\":[" + WEATHER + "]", user("ok goodbye"));
    assertEquals(new Reply(RuleBasedModel.GOODBYE, "stop", List.of()), noTool);
  }

  @Test
  void afterEndCallNothingMoreIsSaid() throws Exception {
    Reply after = call(user("bye"), toolTurn("c1", "end_call", "{}", "{\"ok\":true}"));
    assertEquals(new Reply("", "stop", List.of()), after);
  }

  @Test
  void theAnswerUsesTheToolResultAndSpeaksErrorsPlainly() throws Exception {
    String paris = "{\"city\":\"Paris\",\"conditions\":\"partly cloudy\",\"temperature\":\"18 degrees Celsius\","
        + "\"wind\":\"12 km/h\"}";
    assertEquals("Here is the weather for Paris: partly cloudy, temperature 18 degrees Celsius, wind 12 km/h.",
        call(user("weather in paris"), toolTurn("c1", "get_weather", "{\"city\":\"Paris\"}", paris)).content());
    assertEquals("Sorry, I couldn't look that up: city not found: Atlantis.",
        call(user("weather in atlantis"), toolTurn("c1", "get_weather", "{\"city\":\"Atlantis\"}",
            "{\"error\":\"city not found: Atlantis\"}")).content());
  }

  @Test
  void otherQuestionsGetTheScopeLineNeverAnEcho() throws Exception {
    for (String question : List.of("can you book me a table for two", "What is the capital of France?",
        "tell me about quantum physics")) {
      Reply reply = call(user(question));
      assertEquals(new Reply("Sorry, I can only help with forecast and weather questions.", "stop", List.of()), reply);
      String lastWord = question.replaceAll("[?!.]$", "").replaceAll(".* ", "").toLowerCase(Locale.ROOT);
      assertFalse(reply.content().toLowerCase(Locale.ROOT).contains(lastWord), "echoed: " + reply.content());
    }
  }

  @Test
  void followUpsReuseTheEarlierQuestionOrPlace() throws Exception {
    String first = user("what's the weather in Paris") + ","
        + toolTurn("c1", "get_weather", "{\"city\":\"Paris\"}", "{\"city\":\"Paris\"}") + ","
        + assistant("Here is the weather for Paris.");
    assertEquals(List.of("get_forecast {\"city\":\"Paris\",\"days\":2}"), call(first, user("and tomorrow?")).calls());
    assertEquals(List.of("get_weather {\"city\":\"London\"}"), call(first, user("what about london")).calls());
  }

  @Test
  void aMissingCityIsAskedForAndTheNextAnswerIsThatCity() throws Exception {
    Reply question = call(user("how's the weather"));
    assertEquals("Sure, which city?", question.content());
    assertEquals(List.of("get_weather {\"city\":\"New York\"}"),
        call(user("how's the weather"), assistant(question.content()), user("um new york")).calls());
    assertEquals(RuleBasedModel.GOODBYE,
        call(user("how's the weather"), assistant(question.content()), user("never mind, bye")).content());
  }
}
