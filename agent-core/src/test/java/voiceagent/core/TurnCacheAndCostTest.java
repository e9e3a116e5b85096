package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.AgentHarness.only;
import static voiceagent.core.AgentHarness.turn;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.testkit.electron.ElectronReply;

/** Prefix-cache discipline, the prefix guard, usage and cost over whole conversations. */
class TurnCacheAndCostTest {
  /** A realistic support-agent prompt, long enough (~800 tokens) that one turn adds little to it. */
  static final String LONG_PROMPT = buildPrompt();

  @RegisterExtension final AgentHarness h = new AgentHarness();

  private static String buildPrompt() {
    StringBuilder s = new StringBuilder("You are Ava, the voice assistant of Northwind Travel. Speak in short, friendly "
        + "sentences suited to a phone call. Never read out URLs, code or lists longer than three items.\n");
    String[] topics = {"bookings", "cancellations", "baggage", "seat selection", "loyalty points", "refunds",
        "travel insurance", "visa questions", "special assistance", "group travel", "pets", "payments"};
    for (String topic : topics) {
      s.append("Policy on ").append(topic).append(": answer questions about ").append(topic)
          .append(" using only the facts the tools return; if a fact is missing, say you will transfer the caller to "
              + "a colleague who handles ").append(topic).append(", and never invent fees, dates or reference numbers. "
              + "Confirm any change by repeating it back to the caller before you act on it.\n");
    }
    return s.toString();
  }

  @Test
  void fiveTurnConversationIsAtLeastNinetyPercentCachedFromTheSecondTurn() throws Exception {
    Agent agent = h.agent(AgentConfig.builder(LONG_PROMPT).build());
    Conversation c = agent.newConversation("call-cache", Map.of("caller", "+15550100", "local_time", "09:30"));
    List<Double> ratios = new ArrayList<>();
    String[] said = {"Hello there.", "I want to change my seat.", "Is there a fee for that?", "Okay, do it please.",
        "Thanks, goodbye."};
    for (String text : said) {
      AgentEvent.UsageRecorded u = only(turn(c, text), AgentEvent.UsageRecorded.class).get(0);
      ratios.add((double) u.cachedTokens() / u.promptTokens());
    }
    for (int i = 1; i < ratios.size(); i++) {
      assertTrue(ratios.get(i) >= 0.9, "turn " + (i + 1) + " cache ratio " + ratios);
    }
    assertEquals(0.0, h.meters.counter("voice_agent_prefix_changes_total", "scope", "call").count());
  }

  @Test
  void prefixGuardFiresWhenATimestampIsSlippedIntoTheSystemPrompt() throws Exception {
    AtomicInteger clock = new AtomicInteger(930);
    Agent agent = h.agent(AgentConfig.builder(() -> LONG_PROMPT + "The time is " + clock.getAndIncrement() + ".")
        .build());
    Conversation c = AgentHarness.conversation(agent);
    turn(c, "Hello.");
    List<AgentEvent> second = turn(c, "And now?");
    assertTrue(h.meters.counter("voice_agent_prefix_changes_total", "scope", "call").count() >= 1,
        "the guard counted the changed prefix");
    AgentEvent.UsageRecorded u = only(second, AgentEvent.UsageRecorded.class).get(0);
    assertTrue((double) u.cachedTokens() / u.promptTokens() < 0.99, "and the cache really was hurt: " + u);
  }

  @Test
  void costFollowsTheVersionedPriceTable() throws Exception {
    Agent agent = h.agent(AgentConfig.builder("You are terse.").build());
    h.emulator.enqueue(ElectronReply.builder().text("Done.").usage(1550, 200, 0).build(),
        ElectronReply.builder().text("Done again.").usage(1550, 200, 1500).build());
    Conversation c = AgentHarness.conversation(agent);
    AgentEvent.TurnFinished first = (AgentEvent.TurnFinished) turn(c, "a").getLast();
    AgentEvent.TurnFinished second = (AgentEvent.TurnFinished) turn(c, "b").getLast();
    assertEquals(0, new BigDecimal("0.00094").compareTo(first.costUsd()), first.costUsd().toPlainString());
    assertEquals(0, new BigDecimal("0.00049").compareTo(second.costUsd()), second.costUsd().toPlainString());
    assertEquals(0, new BigDecimal("0.00143").compareTo(AgentHarness.await(c.cost())));
  }
}
