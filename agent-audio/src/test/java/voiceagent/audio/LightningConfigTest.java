package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class LightningConfigTest {

  @Test
  void defaultsPointAtThePublicServiceWithoutAKey() {
    LightningConfig c = LightningConfig.fromEnv(Map.of());
    assertNull(c.apiKey());
    assertEquals("wss://api.smallest.ai/waves/v1/tts/live", c.webSocketUri().toString());
    assertEquals("https://api.smallest.ai/waves/v1/tts", c.httpUri(c.httpPath()).toString());
  }

  @Test
  void environmentOverridesBaseUrlAndKeyAndHttpFollowsTheScheme() {
    LightningConfig c = LightningConfig.fromEnv(Map.of("LIGHTNING_BASE_URL", "ws://127.0.0.1:9000/proxy/",
        "SMALLEST_API_KEY", " k-123 ")).withTimings(90, 0, 0);
    assertEquals("k-123", c.apiKey().reveal());
    assertEquals("ws://127.0.0.1:9000/proxy/waves/v1/tts/live?timeout=90", c.webSocketUri().toString());
    assertEquals("http://127.0.0.1:9000/proxy/waves/v1/tts/live", c.httpUri(c.ssePath()).toString());
    assertTrue(!c.toString().contains("k-123"));
  }

  @Test
  void badValuesAreConfigErrorsNamingTheField() {
    AgentException e = assertThrows(AgentException.class,
        () -> LightningConfig.fromEnv(Map.of("LIGHTNING_BASE_URL", "ftp://x")));
    assertEquals(ErrorKind.CONFIG, e.kind());
    assertTrue(e.getMessage().startsWith("lightning.base_url=ftp://x"), e.getMessage());
    assertThrows(AgentException.class, () -> LightningConfig.defaults().withTimings(0, 20_000, 0));
  }
}
