package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.carrier.Carrier;

class ServeSettingsTest {

  private static ServeSettings from(Map<String, String> env) {
    return ServeSettings.from(ConfigTree.load(null, env), null, false);
  }

  @Test
  void defaultsListenOn8080ForAThousandCallsWithoutCredentials() {
    ServeSettings s = from(Map.of());
    assertEquals(8080, s.port());
    assertEquals(1000, s.maxCalls());
    assertNull(s.publicUrl());
    assertTrue(s.credentials().isEmpty());
    assertEquals(List.of("TWILIO_AUTH_TOKEN", "TELNYX_STREAM_SECRET", "PLIVO_STREAM_SECRET", "VONAGE_STREAM_SECRET",
        "EXOTEL_STREAM_SECRET"), s.missingCredentials());
  }

  @Test
  void credentialsComeFromTheEnvironmentAndTheRestApiNeedsTheAccountSid() {
    ServeSettings s = from(Map.of("TWILIO_AUTH_TOKEN", "t", "EXOTEL_STREAM_SECRET", "e"));
    assertEquals(java.util.Set.of(Carrier.TWILIO, Carrier.EXOTEL), s.credentials().keySet());
    assertEquals(List.of("TELNYX_STREAM_SECRET", "PLIVO_STREAM_SECRET", "VONAGE_STREAM_SECRET"),
        s.missingCredentials());
    assertNull(s.twilioRest());
    ServeSettings rest = from(Map.of("TWILIO_AUTH_TOKEN", "t", "TWILIO_ACCOUNT_SID", "AC1",
        "TWILIO_API_BASE_URL", "http://127.0.0.1:9"));
    assertEquals("http://127.0.0.1:9", rest.twilioRest().baseUrl());
  }

  @Test
  void badValuesNameTheSettingAndTheValue() {
    AgentException url = assertThrows(AgentException.class, () -> from(Map.of("PUBLIC_URL", "agent.example.com")));
    assertTrue(url.getMessage().startsWith("server.public_url=agent.example.com: expected an http(s) URL"),
        url.getMessage());
    AgentException transfer = assertThrows(AgentException.class,
        () -> from(Map.of("VOICE_AGENT_TRANSFER_TO", "5551234")));
    assertTrue(transfer.getMessage().startsWith("server.transfer_to=5551234: expected a phone number"),
        transfer.getMessage());
    AgentException calls = assertThrows(AgentException.class, () -> from(Map.of("VOICE_AGENT_MAX_CALLS", "0")));
    assertTrue(calls.getMessage().startsWith("server.max_calls=0"), calls.getMessage());
  }

  @Test
  void aTrailingSlashOfThePublicUrlIsDropped() {
    assertEquals("https://agent.example.com", from(Map.of("PUBLIC_URL", "https://agent.example.com/")).publicUrl());
  }
}
