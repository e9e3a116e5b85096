package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.carrier.CodecAssertions.assertJson;
import static voiceagent.core.carrier.CodecAssertions.b64;
import static voiceagent.core.carrier.CodecAssertions.bytes;
import static voiceagent.core.carrier.CodecAssertions.decode;
import static voiceagent.core.carrier.CodecAssertions.ramp;

import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat;

/** Twilio Media Streams messages as telephony.md §2 documents them. */
class TwilioCodecTest {
  static final String CONNECTED = "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
  static final String START = """
      {"event":"start","sequenceNumber":"1","streamSid":"MZ11","start":{"streamSid":"MZ11","accountSid":"AC22",
       "callSid":"CA33","tracks":["inbound"],"customParameters":{"token":"t0k","lang":"en"},
       "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}""";

  private final CarrierCodec codec = Carrier.TWILIO.newCodec();

  @Test
  void parsesEveryDocumentedInboundMessage() {
    decode(codec, CONNECTED, CarrierEvent.Connected.class);
    CarrierEvent.Started s = decode(codec, START, CarrierEvent.Started.class);
    assertEquals(new CarrierEvent.Started("MZ11", "CA33", "AC22", AudioFormat.MULAW_8K,
        Map.of("token", "t0k", "lang", "en")), s);
    assertEquals(AudioFormat.MULAW_8K, codec.format());

    byte[] audio = ramp(160);
    CarrierEvent.Media m = decode(codec, "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ11\","
        + "\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"5\",\"payload\":\"" + b64(audio) + "\"}}",
        CarrierEvent.Media.class);
    assertArrayEquals(audio, bytes(m));
    assertEquals(1, m.chunk());

    assertEquals(new CarrierEvent.Dtmf("7"), codec.decodeText("{\"event\":\"dtmf\",\"sequenceNumber\":\"4\","
        + "\"streamSid\":\"MZ11\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"7\"}}"));
    assertEquals(new CarrierEvent.MarkPlayed("seg-1"), codec.decodeText("{\"event\":\"mark\",\"sequenceNumber\":\"5\","
        + "\"streamSid\":\"MZ11\",\"mark\":{\"name\":\"seg-1\"}}"));
    assertEquals(new CarrierEvent.Stopped("stop"), codec.decodeText("{\"event\":\"stop\",\"sequenceNumber\":\"6\","
        + "\"streamSid\":\"MZ11\",\"stop\":{\"accountSid\":\"AC22\",\"callSid\":\"CA33\"}}"));
  }

  @Test
  void outboundMessagesCarryExactlyTheDocumentedFields() {
    codec.decodeText(START);
    byte[] audio = ramp(160);
    assertJson("{\"event\":\"media\",\"streamSid\":\"MZ11\",\"media\":{\"payload\":\"" + b64(audio) + "\"}}",
        codec.media(audio, 0, 160));
    assertJson("{\"event\":\"mark\",\"streamSid\":\"MZ11\",\"mark\":{\"name\":\"seg-1\"}}", codec.mark("seg-1"));
    assertJson("{\"event\":\"clear\",\"streamSid\":\"MZ11\"}", codec.clear());
  }

  @Test
  void markNamesAreEscapedAndRoundTrip() {
    codec.decodeText(START);
    String name = "say \"hi\"\\ é ✓ \n";
    WireMessage mark = codec.mark(name);
    assertJson("{\"event\":\"mark\",\"streamSid\":\"MZ11\",\"mark\":{\"name\":"
        + CodecAssertions.JSON.valueToTree(name) + "}}", mark);
    // The carrier echoes the mark object back as it got it.
    String echo = mark.text().replace("\"event\":\"mark\"", "\"event\":\"mark\",\"sequenceNumber\":9");
    assertEquals(new CarrierEvent.MarkPlayed(name), codec.decodeText(echo));
  }

  @Test
  void mediaEncodesAnOffsetSliceAndDecodesBack() {
    codec.decodeText(START);
    byte[] audio = ramp(200);
    WireMessage out = codec.media(audio, 17, 161);
    String payload = out.text().replaceAll(".*\"payload\":\"([^\"]*)\".*", "$1");
    assertArrayEquals(java.util.Arrays.copyOfRange(audio, 17, 178), java.util.Base64.getDecoder().decode(payload));
  }

  @Test
  void playbackIsAcknowledgedByFlushedMarksAndAudioPassesThrough() {
    assertTrue(codec.acknowledgesPlayback());
    assertEquals(CarrierCodec.ClearAck.MARKS_FLUSHED, codec.clearAck());
    assertTrue(codec.chunking().passThrough());
  }

  @Test
  void outboundBeforeStartIsAProgrammingError() {
    assertNull(codec.format());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> codec.clear());
    assertFalse(codec.decodeBinary(new byte[160], 0, 160) instanceof CarrierEvent.Media);
  }
}
