package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;

/** How the call's events read on the page: the exact JSON of each, in order, and what is left out. */
class PageCallsTest {

  private static List<String> page(CallEvent... events) {
    PageCalls.PageTally tally = new PageCalls.PageTally();
    List<String> out = new ArrayList<>();
    for (CallEvent e : events) out.add(String.valueOf(PageCalls.toPage(e, tally)));
    return out;
  }

  @Test
  void partialsAndFinalsGrowOneUtteranceThatItsTurnFixes() {
    assertEquals(List.of(
            "{\"type\":\"transcript\",\"text\":\"what's the\",\"final\":false}",
            "{\"type\":\"transcript\",\"text\":\"What's the weather\",\"final\":false}",
            "{\"type\":\"transcript\",\"text\":\"What's the weather in\",\"final\":false}",
            "{\"type\":\"transcript\",\"text\":\"What's the weather in Rome?\",\"final\":false}",
            "{\"type\":\"transcript\",\"text\":\"What's the weather in Rome?\",\"final\":true}",
            "{\"type\":\"transcript\",\"text\":\"and\",\"final\":false}"),
        page(new CallEvent.TranscriptPartial(10, "what's the"),
            new CallEvent.TranscriptFinal(20, "What's the weather"),
            new CallEvent.TranscriptPartial(30, "in"),
            new CallEvent.TranscriptFinal(40, "in Rome?"),
            new CallEvent.TurnStarted(50, 1, "What's the weather in Rome?"),
            new CallEvent.TranscriptPartial(60, "and")));
  }

  @Test
  void speechToolsLatencyAndCostAsThePageReadsThem() {
    assertEquals(List.of(
            "{\"type\":\"agent\",\"turn\":1,\"text\":\"Let me check.\",\"kind\":\"filler\"}",
            "{\"type\":\"tool_started\",\"turn\":1,\"id\":\"c1\",\"name\":\"get_weather\","
                + "\"arguments\":{\"city\":\"Rome\"}}",
            "{\"type\":\"tool_finished\",\"turn\":1,\"id\":\"c1\",\"name\":\"get_weather\",\"ms\":41,\"error\":false}",
            "{\"type\":\"tool_started\",\"turn\":1,\"id\":\"c2\",\"name\":\"get_weather\",\"arguments\":null}",
            "null",
            "null",
            "{\"type\":\"latency\",\"turn\":1,\"typed\":false,\"stt_final_ms\":150,\"first_token_ms\":400,"
                + "\"first_audio_ms\":600,\"played_ms\":700}",
            "{\"type\":\"cost\",\"turn\":1,\"turn_usd\":\"0.0003\",\"call_usd\":\"0.0003\",\"cache_ratio\":0.5}",
            "{\"type\":\"interrupted\",\"turn\":2,\"heard\":\"It is\"}",
            "null",
            "{\"type\":\"cost\",\"turn\":2,\"turn_usd\":\"0.0001\",\"call_usd\":\"0.0004\",\"cache_ratio\":0.7}"),
        page(new CallEvent.SpeechStarted(1, 1, "Let me check.", SpeechKind.FILLER),
            new CallEvent.ToolCallStarted(2, 1, "c1", "get_weather", "{\"city\":\"Rome\"}"),
            new CallEvent.ToolCallFinished(3, 1, "c1", "get_weather", "sunny", false, 41),
            new CallEvent.ToolCallStarted(4, 1, "c2", "get_weather", "{\"city\":"),
            new CallEvent.UsageRecorded(5, 1, 100, 10, 40, 0.4, new BigDecimal("0.0001")),
            new CallEvent.UsageRecorded(6, 1, 100, 10, 60, 0.6, new BigDecimal("0.0002")),
            // hops: 150 to the final, 50 endpointing, 200 to the first token, 100 to the segment, 100 to audio,
            // 20 to the first frame sent, 80 to it played
            new CallEvent.TurnLatency(7, 1, 150, 50, 200, 100, 100, 20, 80, 620, 20, 20_000),
            new CallEvent.TurnEnded(8, 1, "answered"),
            new CallEvent.Interrupted(9, 2, "It is", "sunny in Rome."),
            new CallEvent.UsageRecorded(10, 2, 300, 5, 250, 0.83, new BigDecimal("0.0001")),
            new CallEvent.TurnEnded(11, 2, "interrupted")));
  }

  @Test
  void aTypedTurnsWaterfallStartsAtTheTextAndSkipsStagesItNeverReached() {
    assertEquals(List.of("{\"type\":\"latency\",\"turn\":3,\"typed\":true,\"stt_final_ms\":null,"
            + "\"first_token_ms\":null,\"first_audio_ms\":300,\"played_ms\":null}"),
        page(new CallEvent.TurnLatency(1, 3, -1, -1, -1, 200, 100, 20, -1, 320, 20, 20_000)));
  }

  @Test
  void eventsThePageDoesNotShowAreLeftOut() {
    assertNull(PageCalls.toPage(new CallEvent.UserStartedSpeaking(1), new PageCalls.PageTally()));
    assertNull(PageCalls.toPage(new CallEvent.DtmfReceived(1, "5"), new PageCalls.PageTally()));
  }
}
