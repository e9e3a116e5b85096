package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.carrier.CodecAssertions.assertJson;
import static voiceagent.core.carrier.CodecAssertions.bytes;
import static voiceagent.core.carrier.CodecAssertions.decode;
import static voiceagent.core.carrier.CodecAssertions.ramp;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import voiceagent.audio.AudioFormat;

/** Vonage WebSocket framing as telephony.md §5 documents it: binary L16 in 20 ms frames, JSON control. */
class VonageCodecTest {
  static String connected(int rate) {
    return "{\"event\":\"websocket:connected\",\"content-type\":\"audio/l16;rate=" + rate + "\","
        + "\"call_id\":\"v-1\",\"token\":\"abc\"}";
  }

  private final CarrierCodec codec = Carrier.VONAGE.newCodec();

  @Test
  void connectedCarriesTheFormatAndTheCustomHeaders() {
    assertEquals(new CarrierEvent.Started(null, "v-1", null, AudioFormat.PCM16_16K,
        Map.of("call_id", "v-1", "token", "abc")), codec.decodeText(connected(16000)));
    assertFalse(codec.acknowledgesPlayback());
    assertNull(codec.mark("m1"));
  }

  @ParameterizedTest
  @CsvSource({"8000, 320", "16000, 640"})
  void outboundAudioIsExactlyOneTwentyMillisecondFrame(int rate, int frame) {
    codec.decodeText(connected(rate));
    assertEquals(new CarrierCodec.Chunking(frame, frame, frame), codec.chunking());
    byte[] audio = ramp(frame);
    WireMessage full = codec.media(audio, 0, frame);
    assertTrue(full.binary());
    assertArrayEquals(audio, Arrays.copyOf(full.array(), full.length()));

    WireMessage partial = codec.media(audio, 0, 100);
    assertEquals(frame, partial.length(), "a short piece is padded to a whole frame");
    assertArrayEquals(new byte[frame - 100], Arrays.copyOfRange(partial.array(), 100, frame), "padded with silence");
    assertThrows(IllegalArgumentException.class, () -> codec.media(new byte[frame + 2], 0, frame + 2));
  }

  @Test
  void inboundBinaryIsCallerAudioAndWrongSizesAreMalformed() {
    assertEquals(CarrierEvent.Problem.BAD_BINARY, ((CarrierEvent.Malformed) codec.decodeBinary(new byte[640], 0, 640))
        .problem(), "audio before websocket:connected");
    codec.decodeText(connected(16000));
    byte[] audio = ramp(700);
    CarrierEvent.Media m = (CarrierEvent.Media) codec.decodeBinary(audio, 60, 640);
    assertArrayEquals(Arrays.copyOfRange(audio, 60, 700), bytes(m));
    assertEquals(CarrierEvent.Problem.BAD_BINARY,
        ((CarrierEvent.Malformed) codec.decodeBinary(audio, 0, 641)).problem());
    assertEquals(CarrierEvent.Problem.BAD_BINARY, ((CarrierEvent.Malformed) codec.decodeBinary(audio, 0, 0)).problem());
  }

  @Test
  void controlMessages() {
    codec.decodeText(connected(8000));
    assertJson("{\"action\":\"clear\"}", codec.clear());
    assertEquals(new CarrierEvent.Cleared(), codec.decodeText("{\"event\":\"websocket:cleared\"}"));
    assertEquals(new CarrierEvent.Dtmf("3"),
        codec.decodeText("{\"event\":\"websocket:dtmf\",\"digit\":\"3\",\"duration\":260}"));
    assertEquals(new CarrierEvent.Dtmf("4"),
        codec.decodeText("{\"event\":\"websocket:dtmf\",\"dtmf\":{\"digit\":\"4\",\"duration\":260}}"));
    decode(codec, "{\"event\":\"websocket:notify\",\"payload\":{\"x\":1}}", CarrierEvent.Ignored.class);
    decode(codec, "{\"event\":\"websocket:future-thing\"}", CarrierEvent.Ignored.class);
    assertEquals(CarrierEvent.Problem.UNKNOWN_EVENT,
        decode(codec, "{\"event\":\"hello\"}", CarrierEvent.Malformed.class).problem());
  }
}
