package voiceagent.audio.internal.lightning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class LightningWireTest {
  private static final byte[] PCM = {0, 1, (byte) 0xFF, 0x7F, 0x10, (byte) 0x80, 3}; // odd: padding "="

  @Test
  void aChunkIsReadWithoutATreeInAnyFieldOrder() {
    String b64 = Base64.getEncoder().encodeToString(PCM).replace("/", "\\/"); // JSON may escape the slash
    LightningWire.Chunk c = LightningWire.chunk("{\"data\":{\"extra\":[1,{\"a\":2}],\"audio\":\"" + b64
        + "\"},\"request_id\":\"srv\",\"external_request_id\":\"t1-g1-s1\",\"status\":\"chunk\"}");
    assertEquals("t1-g1-s1", c.externalRequestId());
    assertArrayEquals(PCM, c.audio());
    for (int n = 0; n <= 4; n++) { // every padding length decodes to exactly its bytes
      byte[] pcm = java.util.Arrays.copyOf(PCM, n);
      String frame = "{\"status\":\"chunk\",\"data\":{\"audio\":\"" + Base64.getEncoder().encodeToString(pcm) + "\"}}";
      assertArrayEquals(pcm, LightningWire.chunk(frame).audio());
      assertNull(LightningWire.chunk(frame).externalRequestId());
    }
  }

  @Test
  void otherFramesAndMalformedJsonAreLeftToTheTreeParse() {
    assertNull(LightningWire.chunk("{\"status\":\"complete\",\"data\":{\"audio\":\"AAAA\"}}"));
    assertNull(LightningWire.chunk("{\"status\":\"chunk\",\"data\":"));
    assertNull(LightningWire.chunk("[1,2]"));
  }

  @Test
  void invalidBase64InAChunkIsAProtocolError() {
    AgentException e = assertThrows(AgentException.class,
        () -> LightningWire.chunk("{\"status\":\"chunk\",\"data\":{\"audio\":\"AA*A\"}}"));
    assertEquals(ErrorKind.PROTOCOL, e.kind());
    assertEquals(true, e.getMessage().contains("data.audio"));
  }
}
