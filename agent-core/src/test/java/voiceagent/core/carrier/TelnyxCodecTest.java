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

/** Telnyx media streaming messages as telephony.md §3 documents them (snake_case, no id on outbound frames). */
class TelnyxCodecTest {
  static final String START = """
      {"event":"start","sequence_number":"1","stream_id":"32de0dea","start":{"user_id":"u1",
       "call_control_id":"v3:ctl","call_session_id":"sess","from":"+1555","to":"+1666","tags":["a"],
       "client_state":"c3RhdGU=","custom_parameters":{"token":"abc"},
       "media_format":{"encoding":"PCMU","sample_rate":8000,"channels":1}}}""";

  private final CarrierCodec codec = Carrier.TELNYX.newCodec();

  @Test
  void parsesEveryDocumentedInboundMessage() {
    decode(codec, "{\"event\":\"connected\",\"version\":\"1.0.0\"}", CarrierEvent.Connected.class);
    assertEquals(new CarrierEvent.Started("32de0dea", "v3:ctl", null, AudioFormat.MULAW_8K, Map.of("token", "abc")),
        codec.decodeText(START));
    byte[] audio = ramp(160);
    CarrierEvent.Media m = decode(codec, "{\"event\":\"media\",\"sequence_number\":\"4\",\"stream_id\":\"32de0dea\","
        + "\"media\":{\"track\":\"inbound\",\"chunk\":\"2\",\"timestamp\":\"40\",\"payload\":\"" + b64(audio) + "\"}}",
        CarrierEvent.Media.class);
    assertArrayEquals(audio, bytes(m));
    assertEquals(2, m.chunk());
    assertEquals(new CarrierEvent.Dtmf("#"), codec.decodeText("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"#\"}}"));
    assertEquals(new CarrierEvent.MarkPlayed("m1"), codec.decodeText("{\"event\":\"mark\",\"mark\":{\"name\":\"m1\"}}"));
    assertEquals(new CarrierEvent.Stopped("stop"), codec.decodeText("{\"event\":\"stop\",\"stream_id\":\"32de0dea\"}"));
    CarrierEvent.Malformed error = decode(codec, "{\"event\":\"error\",\"error\":{\"code\":100002}}",
        CarrierEvent.Malformed.class);
    assertEquals(CarrierEvent.Problem.CARRIER_ERROR, error.problem());
  }

  @Test
  void olderEncodingNamesAndL16AreAccepted() {
    assertEquals(AudioFormat.MULAW_8K, decode(codec, START.replace("\"PCMU\"", "\"audio/x-mulaw\""),
        CarrierEvent.Started.class).format());
    CarrierCodec l16 = Carrier.TELNYX.newCodec();
    assertEquals(new AudioFormat(AudioFormat.Encoding.PCM16_BE, 16000, 1),
        decode(l16, START.replace("\"PCMU\"", "\"L16\"").replace("8000", "16000"), CarrierEvent.Started.class)
            .format());
    CarrierCodec opus = Carrier.TELNYX.newCodec();
    assertEquals(CarrierEvent.Problem.UNSUPPORTED_FORMAT,
        decode(opus, START.replace("\"PCMU\"", "\"OPUS\""), CarrierEvent.Malformed.class).problem());
  }

  @Test
  void outboundFramesAreSnakeCaseWithoutStreamId() {
    codec.decodeText(START);
    byte[] audio = ramp(160);
    assertJson("{\"event\":\"media\",\"media\":{\"payload\":\"" + b64(audio) + "\"}}", codec.media(audio, 0, 160));
    assertJson("{\"event\":\"mark\",\"mark\":{\"name\":\"m1\"}}", codec.mark("m1"));
    assertJson("{\"event\":\"clear\"}", codec.clear());
    assertEquals(CarrierCodec.ClearAck.MARKS_FLUSHED, codec.clearAck());
  }

  @Test
  void theAgentsOwnTrackIsNotCallerAudio() {
    codec.decodeText(START);
    assertEquals(new CarrierEvent.Ignored("media on the outbound track"), codec.decodeText(
        "{\"event\":\"media\",\"media\":{\"track\":\"outbound\",\"payload\":\"AAAA\"}}"));
  }
}
