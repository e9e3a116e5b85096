package voiceagent.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.session.SessionHarness.concat;
import static voiceagent.core.session.SessionHarness.silence;
import static voiceagent.core.session.SessionHarness.speech;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import voiceagent.core.AgentConfig;
import voiceagent.core.CallEvent;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.session.SessionHarness.Running;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/**
 * Terminal tools (transfer, hang-up) in a call: the call is reported at once, but its body runs only once the speech
 * before it has played (its mark came back), and never when the caller interrupted that speech. Times compared are
 * virtual: the tool body reads the manual clock when it starts.
 */
class CallSessionTerminalToolTest {
  @RegisterExtension final SessionHarness h = new SessionHarness();

  private final AtomicLong startedAtMillis = new AtomicLong(-1); // virtual time the tool body began, -1 before

  private Tool terminal(String name) {
    return Tool.builder(name).description("Hands the call over.").terminal().handler(args -> {
      startedAtMillis.compareAndSet(-1, h.clock.nanoTime() / 1_000_000);
      return "{\"ok\":true}";
    }).build();
  }

  private VoiceAgent agent(Tool tool, SessionConfig session) throws Exception {
    return h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(tool)).filler(null).build(),
        session);
  }

  /** The model says {@code sentence}, then calls {@code tool}; the next request is answered with {@code next}. */
  private void enqueue(String sentence, String tool, String next) {
    h.electronEmulator.enqueue(ElectronReply.builder().text(sentence).toolCall("call_t", tool, "{}")
        .finishReason("tool_calls").build(), ElectronReply.text(next));
  }

  /** With {@code acknowledges}, the transport reports marks played; without, the pacing cursor decides. */
  @ParameterizedTest(name = "transport acknowledges playback: {0}")
  @ValueSource(booleans = {true, false})
  void aTerminalToolRunsOnlyAfterTheSentenceBeforeItHasPlayed(boolean acknowledges) throws Exception {
    VoiceAgent agent = agent(terminal("transfer_call"), SessionConfig.defaults());
    h.pulseEmulator.expectUtterances("Put me through to billing.");
    enqueue("Transferring you now.", "transfer_call", "You are through.");
    Running r = h.call(agent, acknowledges);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.ToolCallStarted.class);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.text().equals("Transferring you now."));

    h.advance(r, 2000);
    // The call started at virtual 0, so its events' times are the clock's.
    long played = r.events().await(CallEvent.SpeechPlayed.class, s -> s.text().equals("Transferring you now."))
        .atMillis();
    r.events().await(CallEvent.ToolCallFinished.class);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.text().equals("You are through."));

    assertTrue(startedAtMillis.get() >= played,
        "the tool began at " + startedAtMillis.get() + " ms, its sentence had played at " + played + " ms");
    if (acknowledges) assertEquals(played, markPlayedAt(r, 0), "the transport's mark decided");
    List<CallEvent> events = r.events().all();
    assertTrue(index(events, CallEvent.ToolCallStarted.class, e -> true)
        < index(events, CallEvent.SpeechPlayed.class, e -> true), "reported at once: " + events);
    assertTrue(index(events, CallEvent.SpeechPlayed.class, e -> e.text().equals("Transferring you now."))
        < index(events, CallEvent.ToolCallFinished.class, e -> true), events.toString());
    String second = h.electronEmulator.requests().get(1).json().get("messages").toString();
    assertTrue(second.contains("\"tool_call_id\":\"call_t\""), "the call and its result are in history: " + second);
  }

  @Test
  void aTerminalCallOfAGenerationInterruptedBeforeItsSpeechPlayedNeverRuns() throws Exception {
    VoiceAgent agent = agent(terminal("transfer_call"), CallSessionBargeInTest.SESSION);
    h.pulseEmulator.expectUtterances("Put me through to billing.", "No wait, stay with me.");
    String sentence = "Let me transfer you to our billing team right away.";
    enqueue(sentence, "transfer_call", "Sure, I am here."); // the second reply answers turn 2
    Running r = h.call(agent, true);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.ToolCallStarted.class);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.text().equals(sentence));

    h.say(r, concat(speech(600), silence(600))); // talks over the sentence's 2.5 s
    assertEquals("interrupted", r.events().await(CallEvent.TurnEnded.class, e -> e.turn() == 1).outcome());
    r.events().await(CallEvent.SpeechSynthesized.class, e -> e.turn() == 2);
    h.advance(r, 2000);
    assertEquals("Sure, I am here.", r.events().await(CallEvent.SpeechPlayed.class, e -> e.turn() == 2).text());

    assertEquals(-1, startedAtMillis.get(), "the held transfer never ran");
    assertTrue(r.events().all(CallEvent.ToolCallFinished.class).isEmpty());
    assertTrue(r.events().all(CallEvent.SpeechPlayed.class).stream().noneMatch(e -> e.text().equals(sentence)));
    assertEquals(2, h.electronEmulator.requests().size(), "no round resumed after the transfer");
    String second = h.electronEmulator.requests().get(1).json().get("messages").toString();
    assertFalse(second.contains("call_t"), "dropped with its call: no tool call without a result: " + second);
  }

  @Test
  void aTerminalHangUpToolRunsAfterItsGoodbyePlayedAndTheCallEndsAfterItsResult() throws Exception {
    VoiceAgent agent = agent(terminal("end_call"), SessionConfig.defaults().withHangUpTool("end_call"));
    h.pulseEmulator.expectUtterances("That is all, bye.");
    enqueue("Goodbye and take care.", "end_call", "Bye.");
    Running r = h.call(agent, true);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.text().equals("Goodbye and take care."));

    advanceUntil(r, CallEvent.SpeechPlayed.class, s -> s.text().equals("Goodbye and take care."));
    r.events().await(CallEvent.ToolCallFinished.class);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.text().equals("Bye."));
    assertFalse(r.transport().hungUp.isDone(), "the speech after the tool has not played yet");
    h.advance(r, 1500);
    assertEquals("hang_up_tool", r.transport().hungUp.get(10, TimeUnit.SECONDS));
    assertEquals("hang_up_tool", r.events().await(CallEvent.CallEnded.class).reason());

    assertTrue(startedAtMillis.get() >= markPlayedAt(r, 0), "ran after the goodbye's mark: " + r.transport().log());
    List<CallEvent> events = r.events().all();
    assertTrue(index(events, CallEvent.ToolCallFinished.class, e -> true)
        < index(events, CallEvent.SpeechPlayed.class, e -> e.text().equals("Bye.")), events.toString());
  }

  /** Advances virtual time in 20 ms steps until the call reported an event (at most 5 s of virtual time). */
  private <T extends CallEvent> void advanceUntil(Running r, Class<T> type, Predicate<T> matching) throws Exception {
    for (int ms = 0; ms < 5000 && r.events().all(type).stream().noneMatch(matching); ms += 20) h.advance(r, 20);
    r.events().await(type, matching);
  }

  /** Virtual ms at which the transport reported the {@code n}-th segment-end mark played. */
  private static long markPlayedAt(Running r, int n) {
    List<String> played = r.transport().log().stream().filter(l -> l.contains(" played e")).toList();
    return Long.parseLong(played.get(n).split(" ")[0]);
  }

  private static <T extends CallEvent> int index(List<CallEvent> events, Class<T> type, Predicate<T> matching) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i)) && matching.test(type.cast(events.get(i)))) return i;
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + events);
  }
}
