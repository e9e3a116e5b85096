package voiceagent.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class PulseConfigTest {

  @Test
  void environmentOverridesKeyAndBaseUrl() {
    PulseConfig c = PulseConfig.fromEnv(Map.of("SMALLEST_API_KEY", " sk_test ", "PULSE_BASE_URL", "ws://127.0.0.1:9"));
    assertEquals("ws://127.0.0.1:9", c.baseUrl());
    assertEquals("sk_test", c.apiKey().reveal());
    assertEquals("wss://api.smallest.ai", PulseConfig.fromEnv(Map.of()).baseUrl());
    assertNull(PulseConfig.fromEnv(Map.of()).apiKey());
  }

  @Test
  void queryCarriesEveryOptionWithLiteralBooleans() {
    PulseConfig c = PulseConfig.defaults()
        .withQuery(true, false, true, 300, List.of("Smallest:2", "Pulse two"), Map.of("diarize", "true"));
    assertEquals("/waves/v1/stt/live?model=pulse&language=en&encoding=mulaw&sample_rate=8000&word_timestamps=true"
        + "&vad_events=false&endpointing=true&eou_timeout_ms=300&keywords=Smallest%3A2%2CPulse%20two&diarize=true",
        c.requestUri(AudioFormat.MULAW_8K));
  }

  @Test
  void legacyPathOmitsModelAndEmptyKeywordsAreOmitted() {
    String uri = PulseConfig.defaults().withPath(PulseConfig.LEGACY_PATH).requestUri(AudioFormat.PCM16_16K);
    assertEquals("/waves/v1/pulse/get_text?language=en&encoding=linear16&sample_rate=16000&word_timestamps=true"
        + "&vad_events=true&endpointing=true", uri);
  }

  @Test
  void formatsPulseCannotTakeAreRejectedNamingTheAcceptedOnes() {
    AgentException be = assertThrows(AgentException.class, () -> PulseConfig.defaults()
        .requestUri(new AudioFormat(AudioFormat.Encoding.PCM16_BE, 16000, 1)));
    assertEquals(ErrorKind.CONFIG, be.kind());
    assertTrue(be.getMessage().contains("PCM16_BE") && be.getMessage().contains("linear16"), be.getMessage());
    AgentException rate = assertThrows(AgentException.class,
        () -> PulseConfig.defaults().requestUri(new AudioFormat(AudioFormat.Encoding.MULAW, 11025, 1)));
    assertTrue(rate.getMessage().contains("11025"), rate.getMessage());
  }

  @Test
  void invalidValuesNameTheKey() {
    assertTrue(assertThrows(AgentException.class, () -> PulseConfig.defaults().withBaseUrl("https://x"))
        .getMessage().startsWith("pulse.base_url=https://x"));
    assertTrue(assertThrows(AgentException.class, () -> PulseConfig.defaults().withBaseUrl("wss://x/waves"))
        .getMessage().contains("pulse.path"));
    assertTrue(assertThrows(AgentException.class,
        () -> PulseConfig.defaults().withQuery(true, true, true, 50, List.of(), Map.of()))
        .getMessage().startsWith("pulse.eou_timeout_ms=50"));
    assertTrue(assertThrows(AgentException.class, () -> PulseConfig.defaults().withTimings(1000, 5, 5, 1000, 5000, 0))
        .getMessage().startsWith("pulse.batch_millis=5"));
  }

  @Test
  void configSectionWithEnvironmentSubstitution() throws Exception {
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree("pulse:\n  base_url: ${PULSE_BASE_URL:wss://api.smallest.ai}\n  api_key: ${SMALLEST_API_KEY:}\n"
            + "  language: hi\n  keywords: [Smallest, Pulse]\n  eou_timeout_ms: 300\n");
    PulseConfig c = PulseConfig.from(voiceagent.common.config.ConfigTree.of(yaml,
        Map.of("PULSE_BASE_URL", "ws://127.0.0.1:9000", "SMALLEST_API_KEY", "sk_x")).section("pulse"));
    assertEquals("ws://127.0.0.1:9000", c.baseUrl());
    assertEquals("sk_x", c.apiKey().reveal());
    assertEquals("hi", c.language());
    assertEquals(List.of("Smallest", "Pulse"), c.keywords());
    assertEquals(300, c.eouTimeoutMs());
    PulseConfig none = PulseConfig.from(voiceagent.common.config.ConfigTree.of(yaml, Map.of()).section("pulse"));
    assertNull(none.apiKey(), "an empty key means no key");
    AgentException bad = assertThrows(AgentException.class, () -> PulseConfig.from(voiceagent.common.config.ConfigTree
        .of(yaml, Map.of("PULSE_BASE_URL", "http://x/y")).section("pulse")));
    assertEquals(ErrorKind.CONFIG, bad.kind());
  }
}
