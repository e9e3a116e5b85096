package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static voiceagent.testkit.electron.ModelReplies.END_CALL;
import static voiceagent.testkit.electron.ModelReplies.FORECAST;
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

/** The rule-based model holding a weather call: questions for any city, small talk, follow-ups, never an echo. */
class RuleBasedConversationTest {
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

  private static Reply ask(String... messages) throws Exception {
    return ModelReplies.ask(f, WEATHER_TOOLS, String.join(",", messages));
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
    Reply reply = ask(user(question));
    assertEquals(List.of(call), reply.calls());
    assertEquals("", reply.content());
  }

  @Test
  void greetingThanksAndGoodbyeAreAnsweredSensibly() throws Exception {
    assertEquals(new Reply("Hello! I can help with forecast and weather questions. What would you like to know?",
        "stop", List.of()), ask(user("hello there")));
    assertEquals("Hello! How can I help you today?",
        ModelReplies.ask(f, "", user("Good morning!")).content(), "without tools");
    assertEquals(new Reply("You're welcome! Is there anything else I can help you with?", "stop", List.of()),
        ask(user("thank you")));
  }

  @Test
  void goodbyeSaysAClosingLineAndCallsEndCallWhenOffered() throws Exception {
    Reply bye = ask(user("Thanks, bye."));
    assertEquals(RuleBasedModel.GOODBYE, bye.content());
    assertEquals(List.of("end_call {}"), bye.calls());
    assertEquals(bye, ask(user("no that's all")));
    Reply noTool = ModelReplies.ask(f, ",\"tools\":[" + WEATHER + "]", user("ok goodbye"));
    assertEquals(new Reply(RuleBasedModel.GOODBYE, "stop", List.of()), noTool);
  }

  @Test
  void afterEndCallNothingMoreIsSaid() throws Exception {
    Reply after = ask(user("bye"), toolTurn("c1", "end_call", "{}", "{\"ok\":true}"));
    assertEquals(new Reply("", "stop", List.of()), after);
  }

  @Test
  void theAnswerUsesTheToolResultAndSpeaksErrorsPlainly() throws Exception {
    String paris = "{\"city\":\"Paris\",\"conditions\":\"partly cloudy\",\"temperature\":\"18 degrees Celsius\","
        + "\"wind\":\"12 km/h\"}";
    assertEquals("Here is the weather for Paris: partly cloudy, temperature 18 degrees Celsius, wind 12 km/h.",
        ask(user("weather in paris"), toolTurn("c1", "get_weather", "{\"city\":\"Paris\"}", paris)).content());
    assertEquals("Sorry, I couldn't look that up: city not found: Atlantis.",
        ask(user("weather in atlantis"), toolTurn("c1", "get_weather", "{\"city\":\"Atlantis\"}",
            "{\"error\":\"city not found: Atlantis\"}")).content());
  }

  @Test
  void otherQuestionsGetTheScopeLineNeverAnEcho() throws Exception {
    for (String question : List.of("can you book me a table for two", "What is the capital of France?",
        "tell me about quantum physics")) {
      Reply reply = ask(user(question));
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
    assertEquals(List.of("get_forecast {\"city\":\"Paris\",\"days\":2}"), ask(first, user("and tomorrow?")).calls());
    assertEquals(List.of("get_weather {\"city\":\"London\"}"), ask(first, user("what about london")).calls());
  }

  @Test
  void aMissingCityIsAskedForAndTheNextAnswerIsThatCity() throws Exception {
    Reply question = ask(user("how's the weather"));
    assertEquals("Sure, which city?", question.content());
    assertEquals(List.of("get_weather {\"city\":\"New York\"}"),
        ask(user("how's the weather"), assistant(question.content()), user("um new york")).calls());
    assertEquals(RuleBasedModel.GOODBYE,
        ask(user("how's the weather"), assistant(question.content()), user("never mind, bye")).content());
  }
}
