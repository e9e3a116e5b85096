package voiceagent.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.session.SessionHarness.concat;
import static voiceagent.core.session.SessionHarness.silence;
import static voiceagent.core.session.SessionHarness.speech;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentConfig;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.config.SessionConfig.TurnPolicy;
import voiceagent.core.session.SessionHarness.Running;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/**
 * The caller talks over the agent: while a tool runs, while the filler plays, between the last text and the first
 * audio, with a tool finishing afterwards. Interruptions are decided by speech time alone here (the policies' word
 * counts are off), so they happen at an exact frame.
 */
class CallSessionBargeInTest {
  @RegisterExtension final SessionHarness h = new SessionHarness();

  /** Speech interrupts after 200 ms while thinking, 300 ms while speaking; partials do not. */
  static final SessionConfig SESSION = SessionConfig.defaults().withPolicies(SessionConfig.LISTENING,
      new TurnPolicy(200, 0, 0, 800), new TurnPolicy(300, 0, 0, 800));

  private final CountDownLatch toolMayFinish = new CountDownLatch(1);

  /** A tool that works until the test lets it finish, even when interrupted (a call that cannot be stopped). */
  private Tool lookup(String filler) {
    return Tool.builder("lookup").description("Looks the weather up.").filler(filler).handler(args -> {
      boolean done = false;
      while (!done) {
        try {
          toolMayFinish.await();
          done = true;
        } catch (InterruptedException e) {
          // keeps working: the result arrives after the barge-in
        }
      }
      return "{\"weather\":\"sunny\"}";
    }).build();
  }

  @AfterEach
  void releaseTool() {
    toolMayFinish.countDown();
  }

  private VoiceAgent agent(String filler, SessionConfig session) throws Exception {
    return h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(lookup(filler))).filler(null)
        .build(), session);
  }

  /** The caller asks the first question; the model calls the tool. */
  private Running askWithTool(VoiceAgent agent) throws Exception {
    h.pulseEmulator.expectUtterances("What is the weather?", "Actually tell me about Paris");
    h.electronEmulator.enqueue(
        ElectronReply.builder().toolCall("call_1", "lookup", "{}").finishReason("tool_calls").build(),
        ElectronReply.text("Paris is lovely in spring."));
    Running r = h.call(agent, true);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.ToolCallStarted.class);
    return r;
  }

  /** The caller talks over the agent and the next turn is answered and played. */
  private void interruptAndGetTheNextAnswer(Running r) throws Exception {
    h.say(r, concat(speech(600), silence(600)));
    CallEvent.TurnEnded first = r.events().await(CallEvent.TurnEnded.class, e -> e.turn() == 1);
    assertEquals("interrupted", first.outcome());
    CallEvent.TurnStarted next = r.events().await(CallEvent.TurnStarted.class, e -> e.turn() == 2);
    assertEquals("Actually tell me about Paris", next.userText());
    r.events().await(CallEvent.SpeechSynthesized.class, e -> e.turn() == 2);
    h.advance(r, 2000);
    CallEvent.SpeechPlayed answer = r.events().await(CallEvent.SpeechPlayed.class, e -> e.turn() == 2);
    assertEquals("Paris is lovely in spring.", answer.text());
  }

  @Test
  void bargeIn100MillisecondsAfterAToolStartsStopsTheTurnAndTheNextOneIsAnswered() throws Exception {
    VoiceAgent agent = agent(null, SESSION);
    Running r = askWithTool(agent);
    h.advance(r, 100);
    interruptAndGetTheNextAnswer(r);

    CallEvent.Interrupted cut = r.events().await(CallEvent.Interrupted.class);
    assertEquals(1, cut.turn());
    assertEquals("", cut.heardText(), "nothing was said before the tool");
    assertEquals(1, r.transport().count("clear"));
    JsonNode messages = h.electronEmulator.requests().get(1).json().get("messages");
    assertEquals("Actually tell me about Paris", messages.get(messages.size() - 1).get("content").asText());
    assertTrue(messages.toString().contains("What is the weather?"), messages.toString());
    assertEquals(2, h.electronEmulator.requests().size(), "the tool round never resumed");
  }

  @Test
  void bargeInWhileTheFillerPlaysCutsTheFillerAtOnce() throws Exception {
    VoiceAgent agent = agent("Let me look that up for you now.", SESSION);
    Running r = askWithTool(agent);
    r.events().await(CallEvent.SpeechSynthesized.class, e -> e.kind() == SpeechKind.FILLER);
    h.advance(r, 300);
    r.events().await(CallEvent.SpeechStarted.class, e -> e.kind() == SpeechKind.FILLER);
    interruptAndGetTheNextAnswer(r);

    assertTrue(r.events().all(CallEvent.SpeechPlayed.class).stream().noneMatch(e -> e.kind() == SpeechKind.FILLER),
        "the filler was cut before its end");
    List<String> log = r.transport().log();
    int clear = indexOf(log, "clear");
    long clearedAt = Long.parseLong(log.get(clear).split(" ")[0]);
    assertTrue(log.stream().skip(clear + 1).noneMatch(l -> l.endsWith(" audio")
        && Long.parseLong(l.split(" ")[0]) < clearedAt + 400), "silence while the caller speaks: " + log);
    // 300 ms of filler, then 300 ms of caller speech before the interruption, plus the lead: far less than its 2 s.
    int fillerBytes = r.transport().clearedAtBytes().getFirst();
    assertTrue(fillerBytes >= 8 * 500 && fillerBytes <= 8 * 1000, "filler bytes sent " + fillerBytes);
  }

  @Test
  void aToolFinishingAfterTheBargeInAddsNoSpeechAndNoRound() throws Exception {
    VoiceAgent agent = agent(null, SESSION);
    Running r = askWithTool(agent);
    h.say(r, concat(speech(400), silence(200)));
    r.events().await(CallEvent.TurnEnded.class, e -> e.turn() == 1);
    toolMayFinish.countDown();
    h.say(r, silence(400));
    r.events().await(CallEvent.TurnStarted.class, e -> e.turn() == 2);
    r.events().await(CallEvent.SpeechSynthesized.class, e -> e.turn() == 2);
    h.advance(r, 2000);
    r.events().await(CallEvent.SpeechPlayed.class, e -> e.turn() == 2);

    assertEquals(2, h.electronEmulator.requests().size(), "the late result started no round");
    assertTrue(r.events().all(CallEvent.ToolCallFinished.class).isEmpty(), "a superseded result is not reported");
    assertTrue(r.events().all(CallEvent.SpeechStarted.class).stream().allMatch(e -> e.turn() == 2),
        r.events().all().toString());
  }

  @Test
  void bargeInBetweenTheLastTextAndTheFirstAudioDropsTheReplyAndASpareSocketIsReady() throws Exception {
    VoiceAgent agent = h.agent(AgentConfig.builder("You are a test agent.").build(), SESSION);
    h.pulseEmulator.expectUtterances("What is the weather?", "Actually tell me about Paris");
    h.electronEmulator.enqueue(ElectronReply.text("It is sunny in Paris today."),
        ElectronReply.text("Paris is lovely in spring."));
    h.lightningEmulator.stallNext();
    Running r = h.call(agent, true);
    h.say(r, concat(speech(600), silence(600)));
    assertEquals("answered", r.events().await(CallEvent.TurnEnded.class).outcome());
    assertEquals(1, h.lightningEmulator.connectionsAccepted());

    h.say(r, concat(speech(600), silence(600)));
    CallEvent.Interrupted cut = r.events().await(CallEvent.Interrupted.class);
    assertEquals("", cut.heardText());
    assertEquals("It is sunny in Paris today.", cut.unheardText());
    r.events().await(CallEvent.TurnStarted.class, e -> e.turn() == 2);
    r.events().await(CallEvent.SpeechSynthesized.class, e -> e.turn() == 2);
    assertEquals(2, h.lightningEmulator.connectionsAccepted(), "the spare socket opened at the barge-in served turn 2");
    h.advance(r, 2000);
    r.events().await(CallEvent.SpeechPlayed.class, e -> e.turn() == 2);
    assertEquals(0, r.transport().clearedAtBytes().getFirst(), "cleared before any audio was sent");
    JsonNode messages = h.electronEmulator.requests().get(1).json().get("messages");
    assertTrue(!messages.toString().contains("It is sunny"), "nothing was heard of turn 1's reply: " + messages);
  }

  @Test
  void twoWordsOfPartialsInterruptWhenSpeechTimeAloneWouldNot() throws Exception {
    SessionConfig wordsOnly = SessionConfig.defaults().withPolicies(SessionConfig.LISTENING,
        new TurnPolicy(10_000, 2, 0, 800), new TurnPolicy(10_000, 2, 0, 800));
    VoiceAgent agent = h.agent(AgentConfig.builder("You are a test agent.").build(), wordsOnly);
    h.pulseEmulator.expectUtterances("Count for me", "No wait stop");
    h.electronEmulator.enqueue(ElectronReply.text("One two three four five six seven eight."),
        ElectronReply.text("Okay."));
    Running r = h.call(agent, false);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.SpeechSynthesized.class);
    h.advance(r, 300);
    h.say(r, concat(speech(700), silence(600)));
    r.events().await(CallEvent.Interrupted.class);
    assertEquals(1.0, h.meters.get("voice_agent_interruptions_total").tag("cause", "words").counter().count());
    assertEquals("No wait stop", r.events().await(CallEvent.TurnStarted.class, e -> e.turn() == 2).userText());
  }

  private static int indexOf(List<String> log, String what) {
    List<String> l = new ArrayList<>(log);
    for (int i = 0; i < l.size(); i++) if (l.get(i).endsWith(" " + what)) return i;
    return -1;
  }
}
