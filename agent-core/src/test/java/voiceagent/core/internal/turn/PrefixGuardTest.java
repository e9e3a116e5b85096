package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
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
import voiceagent.core.ChatRequest;

/** The prefix guard fires exactly on the changes that break Electron's prefix cache, with the index that changed. */
class PrefixGuardTest {
  private static final String SYSTEM = "You are the booking assistant of a dental practice.";
  private static final byte[] TOOLS = bytes("[{\"type\":\"function\",\"function\":{\"name\":\"book\"}},"
      + "{\"type\":\"function\",\"function\":{\"name\":\"cancel\"}}]");
  private static final byte[] TOOLS_REORDERED = bytes("[{\"type\":\"function\",\"function\":{\"name\":\"cancel\"}},"
      + "{\"type\":\"function\",\"function\":{\"name\":\"book\"}}]");
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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> wire(ChatMessage... messages) {
    List<byte[]> out = new ArrayList<>();
    for (ChatMessage m : messages) out.add(ChatRequest.messageJson(m));
    return out;
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
    List<byte[]> edited = wire(sys, ChatMessage.user("Tuesday"), ChatMessage.assistant("Tuesday at 10?", null),
        ChatMessage.user("Yes"));
    assertEquals(2, guard.check(edited, TOOLS, CALL));
    Map<String, Object> kv = keyValues(onlyLine());
    assertEquals(2, kv.get("message_index"));
    assertEquals("assistant", kv.get("role"));
    // The edited request is now the reference: appending to it is fine again.
    edited.add(ChatRequest.messageJson(ChatMessage.assistant("Booked.", null)));
    assertEquals(PrefixGuard.FINE, guard.check(edited, TOOLS, CALL));
    assertEquals(1.0, changes("call"));
  }

  @Test
  void reorderedToolsFireAsTools() {
    List<byte[]> messages = wire(ChatMessage.system(SYSTEM), ChatMessage.user("Cancel please"));
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

  @Test
  void agentPrefixFiresAcrossConversationsWithDifferentSystemPrompts() {
    AgentPrefix agent = new AgentPrefix(registry);
    byte[] first = stable(SYSTEM);
    assertTrue(agent.check(first, CallLog.of("call_id", "call-1")));
    assertTrue(agent.check(stable(SYSTEM), CallLog.of("call_id", "call-2")));
    assertFalse(agent.check(stable(SYSTEM + " The caller is Ann."), CallLog.of("call_id", "call-3")));
    assertTrue(agent.check(first, CallLog.of("call_id", "call-4"))); // the first prefix stays the reference
    assertEquals(1.0, changes("agent"));
    Map<String, Object> kv = keyValues(onlyLine());
    assertEquals("agent", kv.get("scope"));
    assertEquals("call-3", kv.get("call_id"));
    assertEquals(16, kv.get("expected_sha256").toString().length());
  }

  private static byte[] stable(String system) {
    byte[] sys = ChatRequest.messageJson(ChatMessage.system(system));
    byte[] out = new byte[sys.length + TOOLS.length];
    System.arraycopy(sys, 0, out, 0, sys.length);
    System.arraycopy(TOOLS, 0, out, sys.length, TOOLS.length);
    return out;
  }
}
