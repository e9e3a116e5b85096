package voiceagent.audio.internal.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.audio.PulseEvent;
import voiceagent.audio.internal.pulse.PulseFrames.Inbound;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class PulseFramesTest {

  private static PulseEvent event(String json, double offset) {
    return assertInstanceOf(Inbound.Event.class, PulseFrames.parse(json, offset)).event();
  }

  private static AgentException error(String json) {
    return assertInstanceOf(Inbound.Error.class, PulseFrames.parse(json, 0)).error();
  }

  @Test
  void finalWithWordsIsShiftedByTheOffsetAndAcceptsBothSpeakerTypes() {
    PulseEvent e = event("""
        {"type":"transcription","session_id":"s1","transcript":"hi there","transcription":"hi there",
         "is_final":true,"from_finalize":true,"language":"en","words":[
         {"word":"hi","start":0.1,"end":0.3,"confidence":0.9,"speaker":0},
         {"word":"there","start":0.4,"end":0.8,"speaker":"S2"}]}""", 10);
    assertEquals(new PulseEvent.Final("hi there", List.of(new PulseEvent.Word("hi", 10.1, 10.3, 0.9, "0"),
        new PulseEvent.Word("there", 10.4, 10.8, Double.NaN, "S2")), true, false, "en"), e);
  }

  @Test
  void frameWithoutTypeWithOnlyTranscriptionAndNoBooleansIsAPartial() {
    assertEquals(new PulseEvent.Partial("hello", List.of()), event("{\"transcription\":\"hello\"}", 0));
    Inbound.Event withSession = assertInstanceOf(Inbound.Event.class,
        PulseFrames.parse("{\"session_id\":\"abc\",\"transcript\":\"x\",\"is_final\":false}", 0));
    assertEquals("abc", withSession.sessionId());
  }

  @Test
  void emptyPartialIsIgnoredButEmptyLastFinalIsKept() {
    assertInstanceOf(Inbound.Ignored.class, PulseFrames.parse("{\"type\":\"transcription\",\"transcript\":\"\"}", 0));
    PulseEvent.Final last = assertInstanceOf(PulseEvent.Final.class,
        event("{\"transcript\":\"\",\"is_final\":true,\"is_last\":true,\"languages\":[\"hi\"]}", 0));
    assertTrue(last.last());
    assertFalse(last.fromFinalize());
    assertEquals("hi", last.language());
  }

  @Test
  void vadEventsAndUnknownTypes() {
    assertEquals(new PulseEvent.SpeechStarted(2.5), event("{\"type\":\"speech_started\",\"timestamp\":0.5}", 2));
    assertEquals(new PulseEvent.SpeechEnded(1.25), event("{\"type\":\"speech_ended\",\"timestamp\":1.25}", 0));
    assertInstanceOf(Inbound.Ignored.class, PulseFrames.parse("{\"type\":\"utterance_end\"}", 0));
    assertInstanceOf(Inbound.Ignored.class, PulseFrames.parse("[1,2]", 0));
    assertEquals(ErrorKind.PROTOCOL, error("not json").kind());
  }

  @Test
  void allThreeErrorShapes() {
    AgentException plain = error("{\"type\":\"error\",\"status\":\"error\",\"message\":\"overloaded\"}");
    assertEquals(ErrorKind.SERVER, plain.kind());
    assertTrue(plain.retriable());
    assertTrue(plain.getMessage().contains("overloaded"));
    assertNull(plain.code());
    AgentException region = error("{\"type\":\"error\",\"error_code\":\"LANGUAGE_NOT_ENABLED_IN_REGION\",\"message\":\"m\"}");
    assertEquals(ErrorKind.INVALID_REQUEST, region.kind());
    assertFalse(region.retriable());
    assertEquals("LANGUAGE_NOT_ENABLED_IN_REGION", region.code());
    AgentException old = error("{\"status\":\"error\",\"error\":{\"message\":\"bad audio\",\"code\":\"E42\"}}");
    assertEquals("E42", old.code());
    assertTrue(old.getMessage().contains("bad audio"));
  }
}
