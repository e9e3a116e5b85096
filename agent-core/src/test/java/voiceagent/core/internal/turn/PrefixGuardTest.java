package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.EncodedMessages;

/** The prefix guard fires exactly on the changes that break Electron's prefix cache, with the index that changed. */
class PrefixGuardTest {
  private static final String SYSTEM = "You are the booking assistant of a dental practice.";
  private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"book\"}},"
      + "{\"type\":\"function\",\"function\":{\"name\":\"cancel\"}}]";
  private static final String TOOLS_REORDERED = "[{\"type\":\"function\",\"function\":{\"name\":\"cancel\"}},"
      + "{\"type\":\"function\",\"function\":{\"name\":\"book\"}}]";
  private static final CallLog CALL = CallLog.of("call_id", "call-7");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger guardLog = (Logger) LoggerFactory.getLogger(PrefixGuard.class);
  private final Logger agentLog = (Logger) LoggerFactory.getLogger(AgentPrefix.class);
  private final PrefixGuard guard = new PrefixGuard(registry);

  @BeforeEach
  void capture() {
    appender.start();
    guardLog.addAppender(appender);
    agentLog.addAppender(appender);
  }

  @AfterEach
  void release() {
    guardLog.detachAppender(appender);
    agentLog.detachAppender(appender);
  }

  /** The messages encoded afresh, as a request built from plain messages would be: shares nothing with others. */
  private static EncodedMessages wire(ChatMessage... messages) {
    return EncodedMessages.of(List.of(messages));
  }

  private double changes(String scope) {
    return registry.get(AgentPrefix.COUNTER).tag("scope", scope).counter().count();
  }

  private static Map<String, Object> keyValues(ILoggingEvent e) {
    Map<String, Object> kv = new HashMap<>();
    e.getKeyValuePairs().forEach(p -> kv.put(p.key, p.value));
    return kv;
  }

  private ILoggingEvent onlyLine() {
    assertEquals(1, appender.list.size(), () -> "log lines: " + appender.list);
    ILoggingEvent e = appender.list.getFirst();
    assertEquals("prefix changed", e.getMessage());
    assertEquals("WARN", e.getLevel().toString());
    return e;
  }

  @Test
  void appendOnlyHistoryPasses() {
    ChatMessage sys = ChatMessage.system(SYSTEM);
    ChatMessage u1 = ChatMessage.user("I need an appointment.");
    ChatMessage a1 = ChatMessage.assistant(null, List.of(new ChatMessage.ToolCallRef("c1", "book", "{\"day\":\"mon\"}")));
    ChatMessage t1 = ChatMessage.tool("c1", "{\"slot\":\"10:00\"}");
    assertEquals(PrefixGuard.FINE, guard.check(wire(sys, u1), TOOLS, CALL));
    assertEquals(PrefixGuard.FINE, guard.check(wire(sys, u1, a1, t1), TOOLS, CALL));
    assertEquals(PrefixGuard.FINE, guard.check(wire(sys, u1, a1, t1), TOOLS, CALL)); // a retry sends the same
    for (int i = 0; i < 40; i++) { // grows past the initial hash arrays
      List<ChatMessage> longer = new ArrayList<>(List.of(sys, u1, a1, t1));
      for (int j = 0; j <= i; j++) longer.add(ChatMessage.user("turn " + j));
      assertEquals(PrefixGuard.FINE, guard.check(wire(longer.toArray(ChatMessage[]::new)), TOOLS, CALL));
    }
    assertEquals(0.0, changes("call"));
    assertTrue(appender.list.isEmpty());
  }

  @Test
  void timestampInSystemPromptFiresAtIndexZero() {
    ChatMessage u1 = ChatMessage.user("Hello?");
    guard.check(wire(ChatMessage.system(SYSTEM + " Time: 10:41:07."), u1), TOOLS, CALL);
    int index = guard.check(wire(ChatMessage.system(SYSTEM + " Time: 10:41:12."), u1, ChatMessage.user("Hi")),
        TOOLS, CALL);
    assertEquals(0, index);
    assertEquals(1.0, changes("call"));
    Map<String, Object> kv = keyValues(onlyLine());
    assertEquals(0, kv.get("message_index"));
    assertEquals("system", kv.get("role"));
    assertEquals("call", kv.get("scope"));
    assertEquals("call-7", kv.get("call_id"));
  }

  @Test
  void editedEarlierMessageFiresAtItsIndexOnceOnly() {
    ChatMessage sys = ChatMessage.system(SYSTEM);
    guard.check(wire(sys, ChatMessage.user("Tuesday"), ChatMessage.assistant("Tuesday at ten?", null)), TOOLS, CALL);
    EncodedMessages edited = wire(sys, ChatMessage.user("Tuesday"), ChatMessage.assistant("Tuesday at 10?", null),
        ChatMessage.user("Yes"));
    assertEquals(2, guard.check(edited, TOOLS, CALL));
    Map<String, Object> kv = keyValues(onlyLine());
    assertEquals(2, kv.get("message_index"));
    assertEquals("assistant", kv.get("role"));
    // The edited request is now the reference: appending to it is fine again.
    assertEquals(PrefixGuard.FINE, guard.check(edited.append(ChatMessage.assistant("Booked.", null)), TOOLS, CALL));
    assertEquals(1.0, changes("call"));
  }

  @Test
  void reorderedToolsFireAsTools() {
    EncodedMessages messages = wire(ChatMessage.system(SYSTEM), ChatMessage.user("Cancel please"));
    guard.check(messages, TOOLS, CALL);
    assertEquals(PrefixGuard.TOOLS, guard.check(messages, TOOLS_REORDERED, CALL));
    Map<String, Object> kv = keyValues(onlyLine());
    assertEquals("tools", kv.get("message_index"));
    assertFalse(kv.containsKey("role"));
    assertEquals(1.0, changes("call"));
  }

  @Test
  void trimmingTheHistoryFiresAtTheFirstMessageAfterTheKeptSystemPrompt() {
    ChatMessage sys = ChatMessage.system(SYSTEM);
    ChatMessage u1 = ChatMessage.user("one");
    ChatMessage a1 = ChatMessage.assistant("first", null);
    ChatMessage u2 = ChatMessage.user("two");
    guard.check(wire(sys, u1, a1, u2), TOOLS, CALL);
    assertEquals(1, guard.check(wire(sys, u2, ChatMessage.assistant("second", null)), TOOLS, CALL));
    assertEquals("user", keyValues(onlyLine()).get("role"));
  }

  @Test
  void trimmingFromTheVeryStartFiresAtIndexZero() {
    ChatMessage u1 = ChatMessage.user("one");
    ChatMessage u2 = ChatMessage.user("two");
    guard.check(wire(u1, u2), null, CALL);
    assertEquals(0, guard.check(wire(u2, ChatMessage.user("three")), null, CALL));
    assertEquals(1.0, changes("call"));
  }

  @Test
  void droppingTheLastMessageFiresWhereTheHistoryShrank() {
    ChatMessage sys = ChatMessage.system(SYSTEM);
    guard.check(wire(sys, ChatMessage.user("one")), TOOLS, CALL);
    assertEquals(1, guard.check(wire(sys), TOOLS, CALL));
    Map<String, Object> kv = keyValues(onlyLine());
    assertFalse(kv.containsKey("role")); // there is no message at that index any more
    assertEquals(1, kv.get("message_count"));
    assertEquals(2, kv.get("previous_message_count"));
  }

  /** A conversation as the turn engine keeps it: shared system messages, then a history extended by appends. */
  private final class Conversation {
    final AgentPrefix agent = new AgentPrefix(registry);
    EncodedMessages history = EncodedMessages.empty();

    EncodedMessages request(String system, String tools) {
      return agent.systemMessages(system, List.of("Open 9 to 5."), tools, CALL).concat(history);
    }

    void say(int turn) {
      history = history.append(ChatMessage.user("turn " + turn + " — ça va ? 🙂"));
      if (turn % 2 == 0) {
        history = history.append(ChatMessage.assistant(null,
            List.of(new ChatMessage.ToolCallRef("c" + turn, "book", "{\"day\":" + turn + "}"))));
        history = history.append(ChatMessage.tool("c" + turn, "{\"ok\":true}"));
      }
      history = history.append(ChatMessage.assistant("Answer " + turn, null));
    }
  }

  @Test
  void appendedHistoryPassesEveryRequestOfALongCall() {
    Conversation c = new Conversation();
    for (int turn = 0; turn < 150; turn++) {
      c.say(turn);
      assertEquals(PrefixGuard.FINE, guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL));
    }
    assertTrue(c.history.size() > 400);
    assertEquals(0.0, changes("call"));
    assertTrue(appender.list.isEmpty());
  }

  @Test
  void incrementalGuardFindsAnEarlierMessageChangedInARebuiltHistory() {
    Conversation c = new Conversation();
    for (int turn = 0; turn < 30; turn++) c.say(turn);
    guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL);
    List<ChatMessage> edited = new ArrayList<>(c.history);
    edited.set(17, ChatMessage.assistant("Answer 7, reworded", null));
    c.history = EncodedMessages.of(edited).append(ChatMessage.user("next"));
    assertEquals(2 + 17, guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL)); // after the two system messages
    assertEquals("assistant", keyValues(onlyLine()).get("role"));
  }

  @Test
  void incrementalGuardFindsAHistoryForkedFromAnEarlierRequest() {
    Conversation c = new Conversation();
    for (int turn = 0; turn < 5; turn++) c.say(turn);
    EncodedMessages before = c.history;
    c.history = before.append(ChatMessage.user("a rejected utterance"));
    guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL);
    // Appending to the older list copies it (its next slot is taken), so the two requests no longer share storage.
    c.history = before.append(ChatMessage.user("what the caller said instead"));
    assertEquals(2 + before.size(), guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL));
    assertEquals("user", keyValues(onlyLine()).get("role"));
  }

  @Test
  void incrementalGuardFindsAChangedCatalogAndAChangedSystemPrompt() {
    Conversation c = new Conversation();
    for (int turn = 0; turn < 20; turn++) c.say(turn);
    guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL);
    c.say(20);
    assertEquals(PrefixGuard.TOOLS, guard.check(c.request(SYSTEM, TOOLS_REORDERED), TOOLS_REORDERED, CALL));
    c.say(21);
    assertEquals(0, guard.check(c.request(SYSTEM + " Time: 10:41.", TOOLS_REORDERED), TOOLS_REORDERED, CALL));
    assertEquals(2.0, changes("call"));
  }

  @Test
  void resetAfterACompactionMakesTheRewrittenHistoryTheNewReference() {
    Conversation c = new Conversation();
    for (int turn = 0; turn < 40; turn++) c.say(turn);
    guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL);
    c.history = EncodedMessages.of(c.history.subList(c.history.size() / 2, c.history.size()));
    guard.reset();
    assertEquals(PrefixGuard.FINE, guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL));
    c.say(40);
    assertEquals(PrefixGuard.FINE, guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL));
    assertEquals(0.0, changes("call"));
    // Without the reset the same compaction is reported at the first message after the system messages.
    EncodedMessages previous = c.request(SYSTEM, TOOLS);
    c.history = EncodedMessages.of(c.history.subList(4, c.history.size()));
    assertEquals(PrefixGuard.FINE, guard.check(previous, TOOLS, CALL));
    assertEquals(2, guard.check(c.request(SYSTEM, TOOLS), TOOLS, CALL));
  }

  @Test
  void agentPrefixFiresAcrossConversationsWithDifferentSystemPrompts() {
    AgentPrefix agent = new AgentPrefix(registry);
    List<String> context = List.of("Open 9 to 5.");
    EncodedMessages first = agent.systemMessages(SYSTEM, context, TOOLS, CallLog.of("call_id", "call-1"));
    assertEquals(List.of(ChatMessage.system(SYSTEM), ChatMessage.system("Open 9 to 5.")), first);
    // An equal prompt built anew (not the same string) still gets the one shared encoding.
    assertSame(first, agent.systemMessages(new String(SYSTEM), List.of("Open 9 to 5."), TOOLS,
        CallLog.of("call_id", "call-2")));
    EncodedMessages other = agent.systemMessages(SYSTEM + " The caller is Ann.", context, TOOLS,
        CallLog.of("call_id", "call-3"));
    assertEquals(ChatMessage.system(SYSTEM + " The caller is Ann."), other.getFirst());
    assertSame(first, agent.systemMessages(SYSTEM, context, TOOLS, CallLog.of("call_id", "call-4")),
        "the first prefix stays the reference");
    assertEquals(1.0, changes("agent"));
    Map<String, Object> kv = keyValues(onlyLine());
    assertEquals("agent", kv.get("scope"));
    assertEquals("call-3", kv.get("call_id"));
    assertEquals(16, kv.get("expected_sha256").toString().length());
    assertNotEquals(kv.get("expected_sha256"), kv.get("actual_sha256"));
  }

  @Test
  void agentPrefixFiresWhenTheCatalogOrStaticContextDiffers() {
    AgentPrefix agent = new AgentPrefix(registry);
    agent.systemMessages(SYSTEM, List.of(), TOOLS, CALL);
    agent.systemMessages(SYSTEM, List.of(), TOOLS_REORDERED, CALL);
    agent.systemMessages(SYSTEM, List.of("Closed on Sunday."), TOOLS, CALL);
    agent.systemMessages(SYSTEM, List.of(), null, CALL);
    assertEquals(3.0, changes("agent"));
  }
}
