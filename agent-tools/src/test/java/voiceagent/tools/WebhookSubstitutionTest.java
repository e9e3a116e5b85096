package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.tools.internal.webhook.WebhookSpec;

/** Webhook declarations substitute {@code ${NAME:default}} exactly as the configuration does: blank is unset. */
class WebhookSubstitutionTest {
  private static WebhookSpec parse(String headers, Map<String, String> env) throws Exception {
    return WebhookSpec.parse(new ObjectMapper().readTree("{\"name\":\"t\",\"description\":\"Does t.\","
        + "\"url\":\"${BASE:http://127.0.0.1:9}/t\",\"headers\":" + headers + "}"), 0, env);
  }

  @Test
  void aBlankVariableTakesTheDefaultInUrlAndHeaders() throws Exception {
    WebhookSpec spec = parse("{\"X-Region\":\"${REGION:eu}\"}", Map.of("BASE", " ", "REGION", ""));
    assertEquals("http://127.0.0.1:9/t", spec.url());
    assertEquals("eu", spec.headers().get("X-Region").reveal());
  }

  @Test
  void aBlankVariableWithoutDefaultIsAnErrorNamingTheHeaderAndTheVariable() {
    AgentException e = assertThrows(AgentException.class,
        () -> parse("{\"Authorization\":\"Bearer sk_literal ${TOKEN}\"}", Map.of("TOKEN", "")));
    assertEquals("tools.t.headers.Authorization=${TOKEN}: environment variable TOKEN is not set (or blank) and has no default",
        e.getMessage());
    assertFalse(e.getMessage().contains("sk_literal"));
  }
}
