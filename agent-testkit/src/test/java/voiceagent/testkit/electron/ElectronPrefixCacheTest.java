package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.testkit.ManualClock;

/** Usage numbers: prompt tokens of the documented serialization, and the prefix-cache simulation across turns. */
class ElectronPrefixCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // about 750 tokens, a typical voice-agent prompt: a tool turn adds about 70, so each turn stays above 90 % cached
  private static final String SYSTEM = ("You are Ava, the voice assistant of a weather service. Answer in one or two "
      + "short sentences, in plain words a speech engine can read aloud, without lists, markdown or emoji. When the "
      + "caller asks about the weather, call get_weather with the city, then describe the temperature and the sky. "
      + "If you do not know the city, ask for it. Be friendly, concise and never invent numbers. ").repeat(8);
  private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
      + "\"Current weather for a city.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":"
      + "\"string\"}},\"required\":[\"city\"]}}}]";
  private EmulatorFixture f;

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private ObjectNode conversation(String system) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", "electron").put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    body.set("tools", JSON.readTree(TOOLS));
    body.putArray("messages").addObject().put("role", "system").put("content", system);
    return body;
  }

  private JsonNode usage(ObjectNode body) throws Exception {
    TestHttp.Response r = f.http.post(body.toString());
    assertEquals(200, r.status(), r.body());
    String[] events = r.body().split("\n\n");
    return JSON.readTree(events[events.length - 2].substring("data: ".length())).get("usage");
  }

  @Test
  void fiveTurnConversationIsCachedFromTheSecondTurnAndAChangedSystemPromptMisses() throws Exception {
    f = EmulatorFixture.manual();
    ObjectNode body = conversation(SYSTEM);
    ArrayNode messages = (ArrayNode) body.get("messages");
    for (int turn = 1; turn <= 5; turn++) {
      messages.addObject().put("role", "user").put("content", "Question number " + turn + ": is it sunny in Paris?");
      JsonNode usage = usage(body);
      int prompt = usage.get("prompt_tokens").asInt();
      int cached = usage.get("prompt_tokens_details").get("cached_tokens").asInt();
      assertEquals(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE)
          .countTokensOrdinary(PromptText.serialize(body)), prompt);
      if (turn == 1) {
        assertEquals(0, cached);
      } else {
        assertTrue((double) cached / prompt >= 0.9, "turn " + turn + ": " + cached + "/" + prompt);
      }
      messages.addObject().put("role", "assistant").put("content", "Let me check that.").putArray("tool_calls")
          .addObject().put("id", "call_" + turn).put("type", "function").putObject("function")
          .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}");
      messages.addObject().put("role", "tool").put("tool_call_id", "call_" + turn).put("content", "sunny, 21 C");
    }

    JsonNode changedStart = usage(conversation("Today is Monday. " + SYSTEM));
    assertEquals(0, changedStart.get("prompt_tokens_details").get("cached_tokens").asInt());
    JsonNode changedMiddle = usage(conversation(SYSTEM.replace("never invent numbers", "always cite a source")));
    int cached = changedMiddle.get("prompt_tokens_details").get("cached_tokens").asInt();
    assertTrue(cached > 50 && cached < changedMiddle.get("prompt_tokens").asInt() / 2, changedMiddle.toString());
  }

  @Test
  void blockSizeMinimumAndIdleExpiryShapeTheHit() throws Exception {
    ManualClock clock = new ManualClock();
    f = new EmulatorFixture(ElectronEmulatorOptions.defaults().withClock(clock)
        .withCache(16, 64, 32, Duration.ofSeconds(60)));
    ObjectNode body = conversation(SYSTEM);
    usage(body);
    int prompt = usage(body).get("prompt_tokens").asInt();
    JsonNode again = usage(body);
    assertEquals(prompt / 64 * 64, again.get("prompt_tokens_details").get("cached_tokens").asInt());
    clock.advance(61_000);
    assertEquals(0, usage(body).get("prompt_tokens_details").get("cached_tokens").asInt());
  }
}
