package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class ElectronErrorsTest {

  @Test
  void openAiEnvelopeWithDetailsNamesTheField() {
    AgentException e = ElectronErrors.fromResponse(400, null, "{\"error\":{\"message\":\"Invalid input data\","
        + "\"type\":\"invalid_request_error\",\"details\":[{\"code\":\"custom\",\"message\":\"n must be 1\","
        + "\"path\":[\"n\"]}],\"request_id\":\"r-1\"}}");
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertFalse(e.retriable());
    assertEquals("r-1", e.requestId());
    assertEquals("invalid_request_error", e.code());
    assertTrue(e.getMessage().contains("n: n must be 1"), e.getMessage());
  }

  @Test
  void statusDecidesKindAndRetry() {
    assertEquals(ErrorKind.AUTHENTICATION, ElectronErrors.fromResponse(401, null, "").kind());
    assertEquals(ErrorKind.AUTHENTICATION, ElectronErrors.fromResponse(403, null, "").kind());
    assertEquals(ErrorKind.NOT_FOUND, ElectronErrors.fromResponse(404, null, "").kind());
    AgentException limited = ElectronErrors.fromResponse(429, "hdr", "{\"error\":{\"message\":\"Concurrency limit "
        + "reached\",\"type\":\"rate_limit_error\",\"request_id\":\"body\"}}");
    assertEquals(ErrorKind.RATE_LIMITED, limited.kind());
    assertTrue(limited.retriable());
    assertEquals("hdr", limited.requestId(), "the header wins over the body");
    assertTrue(ElectronErrors.fromResponse(502, null, "").retriable());
    assertTrue(ElectronErrors.fromResponse(503, null, "").retriable());
    assertFalse(ElectronErrors.fromResponse(500, null, "").retriable());
    assertEquals(ErrorKind.SERVER, ElectronErrors.fromResponse(500, null, "").kind());
  }

  @Test
  void unwrappedObjectErrorWithIntegerCode() {
    AgentException e = ElectronErrors.fromResponse(400, null,
        "{\"object\":\"error\",\"message\":\"max_tokens too large\",\"type\":\"BadRequestError\",\"code\":400}");
    assertEquals("400", e.code());
    assertTrue(e.getMessage().endsWith("max_tokens too large"));
  }

  @Test
  void htmlFromAProxyBecomesReadableText() {
    AgentException e = ElectronErrors.fromResponse(502, null,
        "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
    assertEquals("Electron HTTP 502: 502 Bad Gateway Bad Gateway", e.getMessage());
  }

  @Test
  void errorStringWithSeparateMessage() {
    AgentException e = ElectronErrors.fromResponse(400, null, "{\"error\":\"InvalidRequest\",\"message\":\"bad voice\"}");
    assertEquals("InvalidRequest", e.code());
    assertTrue(e.getMessage().endsWith("bad voice"));
  }
}
