package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.carrier.CodecAssertions.b64;
import static voiceagent.core.carrier.CodecAssertions.bytes;
import static voiceagent.core.carrier.CodecAssertions.decode;
import static voiceagent.core.carrier.CodecAssertions.ramp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import voiceagent.core.carrier.CarrierEvent.Problem;

/** What real carriers send besides the documented shape: casing, strings for numbers, odd order, garbage. */
class CarrierInputToleranceTest {
  private final CarrierCodec twilio = Carrier.TWILIO.newCodec();

  @ParameterizedTest
  @ValueSource(strings = {"streamSid", "stream_sid", "StreamSid", "streamId", "stream_id", "STREAM_SID"})
  void theStreamIdIsFoundInAnyCasing(String key) {
    CarrierEvent.Started s = decode(twilio, "{\"event\":\"start\",\"start\":{\"" + key + "\":\"MZ1\"}}",
        CarrierEvent.Started.class);
    assertEquals("MZ1", s.streamId());
  }

  @Test
  void theStreamIdAtTheTopLevelIsEnoughAndTheStartOneWins() {
    assertEquals("TOP", decode(twilio, "{\"event\":\"start\",\"streamSid\":\"TOP\",\"start\":{}}",
        CarrierEvent.Started.class).streamId());
    CarrierCodec other = Carrier.TWILIO.newCodec();
    assertEquals("IN", decode(other, "{\"streamSid\":\"TOP\",\"start\":{\"streamSid\":\"IN\"},\"event\":\"start\"}",
        CarrierEvent.Started.class).streamId());
  }

  @Test
  void fieldsComeInAnyOrderAndNumbersAsStringsOrNumbers() {
    twilio.decodeText(TwilioCodecTest.START);
    byte[] audio = ramp(160);
    String[] variants = {
        "{\"media\":{\"payload\":\"" + b64(audio) + "\",\"chunk\":7},\"sequenceNumber\":9,\"event\":\"media\"}",
        "{\"sequenceNumber\":\"9\",\"event\":\"media\",\"media\":{\"chunk\":\"7\",\"payload\":\"" + b64(audio) + "\"}}",
        "{\"event\":\"media\",\"unknownField\":{\"deep\":[1,{\"x\":null}]},\"Media\":{\"Payload\":\"" + b64(audio)
            + "\",\"Chunk\":7.0,\"extra\":true}}",
    };
    for (String v : variants) {
      CarrierEvent.Media m = decode(twilio, v, CarrierEvent.Media.class);
      assertArrayEquals(audio, bytes(m), v);
      assertEquals(7, m.chunk(), v);
    }
  }

  @Test
  void base64MayBeUnpaddedUrlSafeOrWrapped() {
    twilio.decodeText(TwilioCodecTest.START);
    byte[] audio = ramp(161);
    String std = b64(audio);
    for (String p : new String[] {std.replace("=", ""), std.replace('+', '-').replace('/', '_'),
        std.substring(0, 76) + "\\n" + std.substring(76)}) {
      assertArrayEquals(audio, bytes(decode(twilio, "{\"event\":\"media\",\"media\":{\"payload\":\"" + p + "\"}}",
          CarrierEvent.Media.class)), p);
    }
  }

  @ParameterizedTest
  @EnumSource(Carrier.class)
  void malformedInputIsAValueNamingTheProblem(Carrier carrier) {
    CarrierCodec codec = carrier.newCodec();
    assertProblem(Problem.BAD_JSON, codec.decodeText("{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\""));
    assertProblem(Problem.BAD_JSON, codec.decodeText("not json"));
    assertProblem(Problem.BAD_JSON, codec.decodeText("[1,2]"));
    assertProblem(Problem.BAD_JSON, codec.decodeText(""));
    assertProblem(Problem.UNKNOWN_EVENT, codec.decodeText("{\"event\":\"surprise\"}"));
    assertProblem(Problem.MISSING_FIELD, codec.decodeText("{\"sequenceNumber\":1}"));
    assertProblem(Problem.BAD_FIELD, codec.decodeText("{\"event\":7}"));
    byte[] invalidUtf8 = {'{', '"', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertProblem(Problem.BAD_JSON, codec.decodeText(invalidUtf8, 0, invalidUtf8.length));
  }

  @Test
  void badMediaIsMalformedWithTheFieldNamed() {
    twilio.decodeText(TwilioCodecTest.START);
    CarrierEvent.Malformed b64 = assertProblem(Problem.BAD_BASE64,
        twilio.decodeText("{\"event\":\"media\",\"media\":{\"payload\":\"@@not base64@@\"}}"));
    assertTrue(b64.detail().contains("media.payload"), b64.detail());
    assertProblem(Problem.BAD_BASE64, twilio.decodeText("{\"event\":\"media\",\"media\":{\"payload\":\"QUJD=QQ\"}}"));
    assertProblem(Problem.BAD_BASE64, twilio.decodeText("{\"event\":\"media\",\"media\":{\"payload\":\"QUJDR\"}}"));
    assertProblem(Problem.MISSING_FIELD, twilio.decodeText("{\"event\":\"media\",\"media\":{}}"));
    assertProblem(Problem.BAD_FIELD, twilio.decodeText("{\"event\":\"media\",\"media\":{\"payload\":5}}"));
    CarrierEvent.Malformed seq = assertProblem(Problem.BAD_FIELD,
        twilio.decodeText("{\"event\":\"media\",\"sequenceNumber\":\"x1\",\"media\":{\"payload\":\"AAAA\"}}"));
    assertTrue(seq.detail().contains("sequenceNumber=\"x1\""), seq.detail());
    assertProblem(Problem.BAD_FIELD, twilio.decodeText("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"x\"}}"));
    assertProblem(Problem.MISSING_FIELD, twilio.decodeText("{\"event\":\"mark\",\"mark\":{}}"));
    assertProblem(Problem.BAD_BINARY, twilio.decodeBinary(new byte[160], 0, 160));
  }

  @Test
  void aStartWithoutIdOrWithAFormatWeCannotPlayIsMalformed() {
    assertProblem(Problem.MISSING_FIELD, twilio.decodeText("{\"event\":\"start\",\"start\":{}}"));
    assertProblem(Problem.UNSUPPORTED_FORMAT, twilio.decodeText("{\"event\":\"start\",\"start\":{\"streamSid\":\"a\","
        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":16000}}}"));
    assertProblem(Problem.UNSUPPORTED_FORMAT, twilio.decodeText("{\"event\":\"start\",\"start\":{\"streamSid\":\"a\","
        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"channels\":2}}}"));
  }

  @Test
  void dtmfDigitsAreUpperCasedAndMayBeNumbers() {
    assertEquals(new CarrierEvent.Dtmf("A"), twilio.decodeText("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"a\"}}"));
    assertEquals(new CarrierEvent.Dtmf("5"), twilio.decodeText("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":5}}"));
  }

  private static CarrierEvent.Malformed assertProblem(Problem problem, CarrierEvent e) {
    CarrierEvent.Malformed m = org.junit.jupiter.api.Assertions.assertInstanceOf(CarrierEvent.Malformed.class, e,
        () -> "decoded " + e);
    assertEquals(problem, m.problem(), m.detail());
    return m;
  }
}
