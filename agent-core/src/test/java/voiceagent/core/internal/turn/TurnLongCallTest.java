package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.common.VertxClock;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.ChatMessage;
import voiceagent.core.HistoryBudget;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** Long calls keep answering: the history is compacted in large steps and the prompt cache survives in between. */
class TurnLongCallTest {
  @RegisterExtension final EngineHarness h = new EngineHarness();

  /** A system prompt of a realistic size (about 800 tokens), the same for every call. */
  private static final String PROMPT = "You are the phone assistant of a dental clinic. " + String.join(" ",
      Collections.nCopies(60, "Answer briefly, confirm names and dates, and never give medical advice."));
  private static final Map<String, String> CALLER = Map.of("caller", "Ada Lovelace");

  record City(String city) {}

  private double compactions(String reason) {
    Counter c = h.meters.find("voice_agent_history_compactions_total").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private double prefixChanges() {
    Counter c = h.meters.find("voice_agent_prefix_changes_total").tag("scope", "call").counter();
    return c == null ? 0 : c.count();
  }

  private TurnEngine engine(AgentConfig config) throws Exception {
    return h.engine(config, VertxClock.INSTANCE, Executors.newVirtualThreadPerTaskExecutor(), CALLER);
  }

  @Test
  void aThousandTurnsAreAllAnsweredAndCachedExceptWhereTheHistoryWasCompacted() throws Exception {
    AgentConfig config = AgentConfig.builder(PROMPT).build();
    engine(config);
    h.start("Hello, I am calling about an appointment.").finish(); // another call warms the shared prompt prefix
    engine(config);

    int compacting = 0;
    for (int i = 1; i <= 1_000; i++) {
      double before = compactions("messages");
      List<AgentEvent> events = h.start("This is question number " + i + " about my appointment.").finish();
      AgentEvent.TurnFinished done = (AgentEvent.TurnFinished) events.getLast();
      assertEquals("answered", done.outcome(), "turn " + i + ": " + events);
      AgentEvent.UsageRecorded usage = events.stream().filter(AgentEvent.UsageRecorded.class::isInstance)
          .map(AgentEvent.UsageRecorded.class::cast).findFirst().orElseThrow();
      if (compactions("messages") > before) {
        compacting++;
      } else {
        assertTrue(usage.cachedTokens() >= 0.9 * usage.promptTokens(), "turn " + i + " cache ratio: " + usage);
      }
    }

    assertTrue(compacting >= 15 && compacting <= 40, "one large step every ~30 turns, not a sliding window: "
        + compacting);
    assertEquals(0, prefixChanges(), "a compaction is not reported as a prefix violation");
    List<ChatMessage> history = h.onLoop(() -> h.engine.history());
    assertTrue(history.size() <= HistoryBudget.DEFAULT.maxMessages(), "history size " + history.size());
    assertEquals("Call context:\ncaller: Ada Lovelace", history.getFirst().content(), "the call context stays");
  }

  @Test
  void theTokenBudgetCompactsWithoutSeparatingAToolCallFromItsResult() throws Exception {
    Tool weather = Tool.builder("get_weather").description("Weather for a city.").parameters(City.class)
        .handler(args -> "{\"city\":\"Paris\",\"sky\":\"sunny\"}").build();
    engine(AgentConfig.builder(PROMPT).tools(ToolRegistry.of(weather)).history(new HistoryBudget(180, 2_000))
        .build());

    for (int i = 1; i <= 120; i++) {
      String text = i % 3 == 0 ? "What is the weather in Paris today?" : "Tell me about slot " + i + ", please.";
      AgentEvent.TurnFinished done = (AgentEvent.TurnFinished) h.start(text).finish().getLast();
      assertEquals("answered", done.outcome(), "turn " + i);
      assertPairsIntact(h.onLoop(() -> h.engine.history()), i);
    }

    assertTrue(compactions("tokens") >= 3, "compacted by tokens: " + compactions("tokens"));
    assertEquals(0, compactions("messages"));
    assertEquals(0, prefixChanges());
  }

  /** The call context comes first; every tool message follows its call, and every call has its result. */
  private static void assertPairsIntact(List<ChatMessage> history, int turn) {
    assertEquals("system", history.getFirst().role(), "turn " + turn);
    Set<String> open = new HashSet<>();
    for (ChatMessage m : history) {
      if (m.role().equals("tool")) {
        assertTrue(open.remove(m.toolCallId()), "turn " + turn + ": result without its call " + m);
      } else {
        assertTrue(open.isEmpty(), "turn " + turn + ": calls without results " + open);
        m.toolCalls().forEach(c -> open.add(c.id()));
      }
    }
    assertTrue(open.isEmpty(), "turn " + turn + ": calls without results " + open);
  }
}
