package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static voiceagent.core.carrier.CodecAssertions.assertJson;
import static voiceagent.core.carrier.CodecAssertions.b64;
import static voiceagent.core.carrier.CodecAssertions.bytes;
import static voiceagent.core.carrier.CodecAssertions.decode;
import static voiceagent.core.carrier.CodecAssertions.ramp;

import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat;

/** Plivo audio-stream messages as telephony.md §4 documents them (no connected; checkpoint/clearAudio outbound). */
class PlivoCodecTest {
  static final String START = """
      {"event":"start","sequenceNumber":0,"start":{"callId":"c-1","streamId":"s-1","accountId":"MA1",
       "tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-l16","sampleRate":16000}},
       "extra_headers":"token=s3cret,lang=en"}""";

  private final CarrierCodec codec = Carrier.PLIVO.newCodec();

  @Test
  void parsesEveryDocumentedInboundMessage() {
    assertEquals(new CarrierEvent.Started("s-1", "c-1", "MA1", AudioFormat.PCM16_16K,
        Map.of("token", "s3cret", "lang", "en")), codec.decodeText(START));
    byte[] audio = ramp(640);
    CarrierEvent.Media m = decode(codec, "{\"event\":\"media\",\"sequenceNumber\":1,\"streamId\":\"s-1\","
        + "\"media\":{\"track\":\"inbound\",\"timestamp\":\"1733550000000\",\"chunk\":1,\"payload\":\""
        + b64(audio) + "\"},\"extra_headers\":\"token=s3cret,lang=en\"}", CarrierEvent.Media.class);
    assertArrayEquals(audio, bytes(m));
    assertEquals(new CarrierEvent.Dtmf("5"), codec.decodeText("{\"event\":\"dtmf\",\"sequenceNumber\":2,"
        + "\"streamId\":\"s-1\",\"dtmf\":{\"track\":\"inbound\",\"digit\":\"5\",\"timestamp\":\"1733550000100\"}}"));
    assertEquals(new CarrierEvent.MarkPlayed("cp1"),
        codec.decodeText("{\"event\":\"playedStream\",\"sequenceNumber\":3,\"streamId\":\"s-1\",\"name\":\"cp1\"}"));
    assertEquals(new CarrierEvent.MarkPlayed("cp2"),
        codec.decodeText("{\"event\":\"played\",\"streamId\":\"s-1\",\"name\":\"cp2\"}"));
    assertEquals(new CarrierEvent.Cleared(),
        codec.decodeText("{\"event\":\"clearedAudio\",\"sequenceNumber\":4,\"streamId\":\"s-1\"}"));
    assertEquals(new CarrierEvent.Stopped("stop"), codec.decodeText("{\"event\":\"stop\",\"streamId\":\"s-1\"}"));
  }

  @Test
  void extraHeadersMayBeAnObjectOrAJsonString() {
    assertEquals(Map.of("token", "x"), decode(codec, START.replace("\"token=s3cret,lang=en\"", "{\"token\":\"x\"}"),
        CarrierEvent.Started.class).customParameters());
    CarrierCodec other = Carrier.PLIVO.newCodec();
    assertEquals(Map.of("token", "y"), decode(other, START.replace("\"token=s3cret,lang=en\"",
        "\"{\\\"token\\\":\\\"y\\\"}\""), CarrierEvent.Started.class).customParameters());
  }

  @Test
  void playAudioRepeatsTheNegotiatedFormat() {
    codec.decodeText(START);
    byte[] audio = ramp(640);
    assertJson("{\"event\":\"playAudio\",\"media\":{\"contentType\":\"audio/x-l16\",\"sampleRate\":16000,"
        + "\"payload\":\"" + b64(audio) + "\"}}", codec.media(audio, 0, 640));
    assertJson("{\"event\":\"checkpoint\",\"streamId\":\"s-1\",\"name\":\"cp1\"}", codec.mark("cp1"));
    assertJson("{\"event\":\"clearAudio\",\"streamId\":\"s-1\"}", codec.clear());
    assertEquals(CarrierCodec.ClearAck.EVENT, codec.clearAck());

    CarrierCodec mulaw = Carrier.PLIVO.newCodec();
    mulaw.decodeText(START.replace("audio/x-l16", "audio/x-mulaw").replace("16000", "\"8000\""));
    assertEquals(AudioFormat.MULAW_8K, mulaw.format());
    assertJson("{\"event\":\"playAudio\",\"media\":{\"contentType\":\"audio/x-mulaw\",\"sampleRate\":8000,"
        + "\"payload\":\"" + b64(new byte[] {1, 2, 3}) + "\"}}", mulaw.media(new byte[] {1, 2, 3}, 0, 3));
  }
}
