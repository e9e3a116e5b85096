package voiceagent.testkit.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Electron's request validation (400 naming the field) and authentication (401), checked before scripted replies. */
class ElectronValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";
  private static final String TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"t\",\"parameters\":{}}}";
  private EmulatorFixture f;

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private JsonNode rejected(String body) throws Exception {
    TestHttp.Response r = f.http.post(body);
    assertEquals(400, r.status(), r.body());
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText());
    assertEquals(r.requestId(), error.get("request_id").asText());
    return error.get("details").get(0);
  }

  private static String request(String extra, String messages) {
    return "{\"model\":\"electron\",\"stream\":true" + extra + ",\"messages\":[" + messages + "]}";
  }

  private static String repeat(String item, int n) {
    return String.join(",", java.util.Collections.nCopies(n, item));
  }

  @Test
  void eachLimitIsRejectedWithTheFieldInDetails() throws Exception {
    f = EmulatorFixture.manual();
    f.emulator.enqueue(ElectronReply.text("still queued"));
    assertEquals("[\"n\"]", rejected(request(",\"n\":2", USER)).get("path").toString());
    assertEquals("[\"tools\"]", rejected(request(",\"tools\":[]", USER)).get("path").toString());
    JsonNode manyTools = rejected(request(",\"tools\":[" + repeat(TOOL, 65) + "]", USER));
    assertEquals("[\"tools\"]", manyTools.get("path").toString());
    assertTrue(manyTools.get("message").asText().contains("65"), manyTools.toString());
    JsonNode manyMessages = rejected(request("", repeat(USER, 201)));
    assertEquals("[\"messages\"]", manyMessages.get("path").toString());
    assertTrue(manyMessages.get("message").asText().contains("201"));
    assertEquals("[\"stop\"]",
        rejected(request(",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", USER)).get("path").toString());
    assertEquals("[\"messages\"]", rejected("{\"model\":\"electron\"}").get("path").toString());
    assertEquals("[\"model\"]", rejected("{\"messages\":[" + USER + "]}").get("path").toString());
    assertEquals("[\"prompt_logprobs\"]", rejected(request(",\"prompt_logprobs\":1", USER)).get("path").toString());
    assertEquals("[\"messages\",0,\"tool_call_id\"]",
        rejected(request("", "{\"role\":\"tool\",\"content\":\"x\"}")).get("path").toString());
    assertEquals("[\"messages\",0,\"role\"]",
        rejected(request("", "{\"role\":\"wizard\",\"content\":\"x\"}")).get("path").toString());
    assertEquals("[\"max_tokens\"]", rejected(request(",\"max_tokens\":40000", USER)).get("path").toString());
    assertEquals("[]", rejected("not json").get("path").toString());

    TestHttp.Response ok = f.http.post(request(",\"tools\":[" + repeat(TOOL, 64) + "],\"stop\":[\"a\",\"b\",\"c\",\"d\"]",
        repeat(USER, 200)));
    assertEquals(200, ok.status());
    assertTrue(ok.body().contains("queued"), "validation failures must not consume scripted replies");
  }

  @Test
  void wrongOrMissingKeyGets401AndTheRecordedHeaderIsRedacted() throws Exception {
    f = new EmulatorFixture(ElectronEmulatorOptions.defaults().withApiKey("sk-right")
        .withClock(new voiceagent.testkit.ManualClock()));
    TestHttp.Response missing = f.http.post(TestHttp.USER_HI);
    assertEquals(401, missing.status());
    JsonNode error = JSON.readTree(missing.body()).get("error");
    assertEquals("authentication_error", error.get("type").asText());
    assertEquals(missing.requestId(), error.get("request_id").asText());

    TestHttp.Response wrong = f.http.post(TestHttp.USER_HI, Map.of("Authorization", "Bearer sk-wrong"), "/chat/completions");
    assertEquals(401, wrong.status());
    TestHttp.Response right = f.http.post(TestHttp.USER_HI, Map.of("Authorization", "Bearer sk-right"), "/chat/completions");
    assertEquals(200, right.status());

    for (RecordedRequest r : f.emulator.requests()) {
      assertTrue(!r.body().isEmpty() && !r.headers().toString().contains("sk-"), r.headers().toString());
    }
    assertEquals("Bearer REDACTED", f.emulator.requests().get(2).headers().get("authorization"));
  }

  @Test
  void unknownPathGets404WithRequestId() throws Exception {
    f = EmulatorFixture.manual();
    TestHttp.Response r = f.http.post(TestHttp.USER_HI, Map.of(), "/completions");
    assertEquals(404, r.status());
    assertEquals(r.requestId(), JSON.readTree(r.body()).get("error").get("request_id").asText());
  }
}
