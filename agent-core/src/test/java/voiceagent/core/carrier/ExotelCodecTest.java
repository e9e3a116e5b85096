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

/** Exotel Voicebot messages as telephony.md §6 documents them (snake_case, numbers as strings, stream_sid). */
class ExotelCodecTest {
  static final String START = """
      {"event":"start","sequence_number":"1","stream_sid":"st-9","start":{"stream_sid":"st-9","call_sid":"ca-9",
       "account_sid":"acc","from":"0801","to":"0802","custom_parameters":{"token":"q"},
       "media_format":{"encoding":"audio/x-raw","sample_rate":"8000","bit_rate":"16"}}}""";

  private final CarrierCodec codec = Carrier.EXOTEL.newCodec();

  @Test
  void parsesEveryDocumentedInboundMessage() {
    decode(codec, "{\"event\":\"connected\"}", CarrierEvent.Connected.class);
    assertEquals(new CarrierEvent.Started("st-9", "ca-9", "acc", AudioFormat.PCM16_8K, Map.of("token", "q")),
        codec.decodeText(START));
    byte[] audio = ramp(1600);
    CarrierEvent.Media m = decode(codec, "{\"event\":\"media\",\"sequence_number\":\"2\",\"stream_sid\":\"st-9\","
        + "\"media\":{\"chunk\":\"1\",\"timestamp\":\"100\",\"payload\":\"" + b64(audio) + "\"}}",
        CarrierEvent.Media.class);
    assertArrayEquals(audio, bytes(m));
    assertEquals(new CarrierEvent.Dtmf("9"),
        codec.decodeText("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"9\",\"duration\":\"120\"}}"));
    assertEquals(new CarrierEvent.MarkPlayed("m"), codec.decodeText("{\"event\":\"mark\",\"mark\":{\"name\":\"m\"}}"));
    assertEquals(new CarrierEvent.Stopped("callended"), codec.decodeText("{\"event\":\"stop\",\"stop\":{"
        + "\"call_sid\":\"ca-9\",\"account_sid\":\"acc\",\"reason\":\"callended\"}}"));
  }

  @Test
  void outboundUsesStreamSidAndChunksOfThreeHundredTwentyBytes() {
    codec.decodeText(START);
    byte[] audio = ramp(3200);
    assertJson("{\"event\":\"media\",\"stream_sid\":\"st-9\",\"media\":{\"payload\":\"" + b64(audio) + "\"}}",
        codec.media(audio, 0, 3200));
    assertJson("{\"event\":\"mark\",\"stream_sid\":\"st-9\",\"mark\":{\"name\":\"m\"}}", codec.mark("m"));
    assertJson("{\"event\":\"clear\",\"stream_sid\":\"st-9\"}", codec.clear());
    assertEquals(new CarrierCodec.Chunking(320, 3200, 100_000), codec.chunking());
    assertEquals(CarrierCodec.ClearAck.ON_SEND, codec.clearAck());
  }

  @Test
  void aMuLawStreamIsReadFromMediaFormat() {
    assertEquals(AudioFormat.MULAW_8K, decode(codec, START.replace("audio/x-raw", "audio/x-mulaw"),
        CarrierEvent.Started.class).format());
  }
}
