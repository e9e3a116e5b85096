package voiceagent.samples.weather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.core.Agent;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.core.Conversation;
import voiceagent.core.config.ElectronConfig;
import voiceagent.samples.weather.OpenMeteoReplay.Reply;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/** The weather agent on the offline Electron emulator, as the demo runs it: a whole little phone conversation. */
class WeatherConversationTest {
  private final Vertx vertx = BlockedThreadGuard.newVertx();
  private final ElectronEmulator emulator = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults()).await();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** What one turn said and did: the filler, the model's words, and each tool call as "name arguments". */
  private record Turn(String filler, String reply, List<String> calls) {}

  private static Turn turn(Conversation conversation, String caller) {
    List<AgentEvent> events = conversation.send(caller).collectList().block(Duration.ofSeconds(20));
    assertNotNull(events);
    return new Turn(spoken(events, SpeechKind.FILLER), spoken(events, SpeechKind.REPLY),
        events.stream().filter(AgentEvent.ToolCallStarted.class::isInstance).map(AgentEvent.ToolCallStarted.class::cast)
            .map(c -> c.name() + " " + c.arguments()).toList());
  }

  private static String spoken(List<AgentEvent> events, SpeechKind kind) {
    return events.stream().filter(AgentEvent.SpeechReady.class::isInstance).map(AgentEvent.SpeechReady.class::cast)
        .filter(s -> s.kind() == kind).map(AgentEvent.SpeechReady::text).collect(Collectors.joining(" "));
  }

  private Agent agent(AgentConfig config) {
    ElectronConfig electron = ElectronConfig.defaults().withBaseUrl(emulator.baseUrl());
    return Agent.builder(vertx, config).electron(electron).start().await();
  }

  @Test
  void offlineCallGreetsLooksUpAnyCityFollowsUpStaysInScopeAndEndsOnGoodbye() {
    try (Agent agent = agent(WeatherAgent.config())) {
      Conversation call = agent.newConversation("call-1", Map.of());
      assertEquals(new Turn("", "Hello! I can help with forecast and weather questions. What would you like to know?",
          List.of()), turn(call, "hello"));
      assertEquals(new Turn("Let me check the weather in San Francisco…",
          "Here is the weather for San Francisco: foggy, temperature 16 degrees Celsius, wind 20 km/h.",
          List.of("get_weather {\"city\":\"San Francisco\"}")), turn(call, "what's the weather in san francisco"));
      assertEquals(new Turn("Let me check the forecast for San Francisco…",
          "Here is the forecast for San Francisco: today foggy, 12 to 17 degrees Celsius; "
              + "tomorrow partly cloudy, 12 to 19 degrees Celsius.",
          List.of("get_forecast {\"city\":\"San Francisco\",\"days\":2}")), turn(call, "and tomorrow"));
      assertEquals(new Turn("", "Sorry, I can only help with forecast and weather questions.", List.of()),
          turn(call, "can you book me a taxi"));
      assertEquals(new Turn("Let me check the weather in Atlantis…",
          "Sorry, I couldn't look that up: city not found: Atlantis.",
          List.of("get_weather {\"city\":\"Atlantis\"}")), turn(call, "is it sunny in atlantis"));
      assertEquals(new Turn("", "You're welcome! Is there anything else I can help you with?", List.of()),
          turn(call, "thanks"));
      // The closing line, then end_call: the runtime's sign that the call ends once the goodbye has played.
      assertEquals(new Turn("", "Thank you for calling. Goodbye!", List.of("end_call {}")), turn(call, "no, bye"));
    }
  }

  @Test
  void withOpenMeteoTheAnswerComesFromTheService() {
    try (OpenMeteoReplay openMeteo = new OpenMeteoReplay();
        Agent agent = agent(WeatherAgent.config(openMeteo.config(4000)))) {
      openMeteo.city("Paris", new Reply.Body(200, "geocoding-paris.json"))
          .on(OpenMeteoReplay.FORECAST, new Reply.Body(200, "forecast.json"));
      assertEquals(new Turn("Let me check the weather in Paris…",
          "Here is the weather for Paris, France: overcast, temperature 6 degrees Celsius, wind 12 km/h.",
          List.of("get_weather {\"city\":\"Paris\"}")), turn(agent.newConversation("call-2", Map.of()),
          "is it raining in Paris?"));
    }
  }
}
