package voiceagent.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.session.SessionHarness.concat;
import static voiceagent.core.session.SessionHarness.silence;
import static voiceagent.core.session.SessionHarness.speech;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentConfig;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.session.SessionHarness.Running;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.tools.Tool;
import voiceagent.tools.ToolRegistry;

/** Turn detection, the terminal hang-up tool, DTMF, the caller hanging up, and agents side by side. */
class CallSessionTurnsTest {
  @RegisterExtension final SessionHarness h = new SessionHarness();

  private static final AgentConfig AGENT = AgentConfig.builder("You are a test agent.").build();

  @Test
  void aCompleteFinalEndsTheTurnAtOnceAndAnUnfinishedOneWaitsForMoreSpeech() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults());
    h.pulseEmulator.expectUtterances("I would like to fly to", "Paris please.", "Thank you.");
    h.electronEmulator.enqueue(ElectronReply.text("Paris it is."), ElectronReply.text("You are welcome."));
    Running r = h.call(agent, false);

    h.say(r, concat(speech(600), silence(600))); // "... fly to": sounds unfinished
    CallEvent.TranscriptFinal unfinished = r.events().await(CallEvent.TranscriptFinal.class);
    h.say(r, concat(speech(400), silence(600))); // the rest, within the 800 ms the policy waits
    CallEvent.TurnStarted turn = r.events().await(CallEvent.TurnStarted.class);
    assertEquals("I would like to fly to Paris please.", turn.userText());
    assertTrue(turn.atMillis() > unfinished.atMillis() + 400, "it waited for the rest");

    r.events().await(CallEvent.SpeechSynthesized.class);
    h.advance(r, 1000);
    r.events().await(CallEvent.SpeechPlayed.class);
    h.say(r, concat(speech(400), silence(600)));
    CallEvent.TranscriptFinal complete = r.events().await(CallEvent.TranscriptFinal.class,
        f -> f.text().equals("Thank you."));
    CallEvent.TurnStarted second = r.events().await(CallEvent.TurnStarted.class, t -> t.turn() == 2);
    // No endpointing wait (the unfinished case waits up to 800 ms); at most the frame the local VAD needs to agree.
    assertTrue(second.atMillis() - complete.atMillis() <= 20, second + " after " + complete);
  }

  @Test
  void anUnfinishedFinalWithNothingAfterItEndsTheTurnAfterTheMaximumWait() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults());
    h.pulseEmulator.expectUtterances("I need a table for two and");
    h.electronEmulator.enqueue(ElectronReply.text("For two, noted."));
    Running r = h.call(agent, false);
    h.say(r, concat(speech(600), silence(500)));
    CallEvent.TranscriptFinal fin = r.events().await(CallEvent.TranscriptFinal.class);
    h.advanceTo(r, fin.atMillis() + 700);
    assertTrue(r.events().all(CallEvent.TurnStarted.class).isEmpty(), "still waiting for the rest");
    h.advance(r, 200);
    CallEvent.TurnStarted turn = r.events().await(CallEvent.TurnStarted.class);
    assertEquals("I need a table for two and", turn.userText());
    long waited = turn.atMillis() - fin.atMillis();
    // The policy's maximum, counted from when the local VAD also heard the end (the same frame, or the next).
    assertTrue(waited >= 800 && waited <= 820, "waited " + waited);
  }

  @Test
  void theHangUpToolEndsTheCallOnlyAfterTheSpeechBeforeItPlayed() throws Exception {
    Tool endCall = Tool.builder("end_call").description("Ends the call.").handler(args -> "{\"ok\":true}").build();
    VoiceAgent agent = h.agent(AgentConfig.builder("You are a test agent.").tools(ToolRegistry.of(endCall)).build(),
        SessionConfig.defaults().withHangUpTool("end_call"));
    h.pulseEmulator.expectUtterances("That is all, bye.");
    h.electronEmulator.enqueue(ElectronReply.builder().text("Goodbye and take care.")
        .toolCall("call_1", "end_call", "{}").finishReason("tool_calls").build(), ElectronReply.text("Bye."));
    Running r = h.call(agent, true);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.ToolCallFinished.class);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.text().equals("Bye."));
    assertTrue(!r.transport().hungUp.isDone(), "the goodbye has not played yet");
    h.advance(r, 2000);
    assertEquals("hang_up_tool", r.transport().hungUp.get(10, TimeUnit.SECONDS));
    assertEquals("hang_up_tool", r.events().await(CallEvent.CallEnded.class).reason()); // every event before it is in
    List<String> log = r.transport().log();
    assertTrue(log.get(log.size() - 2).contains(" played e"), log.toString());
    List<CallEvent.SpeechPlayed> played = r.events().all(CallEvent.SpeechPlayed.class);
    assertEquals(List.of("Goodbye and take care.", "Bye."), played.stream().map(CallEvent.SpeechPlayed::text).toList());
  }

  @Test
  void dtmfDigitsArriveAsEventsAndAsTextToTheModel() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults().withDtmfToModel(true));
    h.electronEmulator.enqueue(ElectronReply.text("Got it."));
    Running r = h.call(agent, false);
    r.transport().dtmf("42#");
    assertEquals("42#", r.events().await(CallEvent.DtmfReceived.class).digits());
    CallEvent.TurnStarted turn = r.events().await(CallEvent.TurnStarted.class);
    assertTrue(turn.userText().contains("42#"), turn.userText());
    r.events().await(CallEvent.TurnEnded.class);
    assertTrue(h.electronEmulator.requests().getFirst().json().toString().contains("42#"));
  }

  @Test
  void theCallerHangingUpEndsTheCallWithoutAnAgentHangUp() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults());
    Running r = h.call(agent, false);
    r.transport().callerHangsUp();
    CallEvent.CallEnded ended = r.call().completion().block(Duration.ofSeconds(10));
    assertEquals("caller_hang_up", ended.reason());
    assertTrue(!r.transport().hungUp.isDone());
    SessionHarness.barrier(r.transport().context());
    assertEquals(0, h.clock.pending(), "the pacing tick stopped with the last call of the loop");
  }

  @Test
  void twoAgentsWithDifferentSettingsRunSideBySideAndCallsOfALoopShareOneTick() throws Exception {
    VoiceAgent first = h.agent(AGENT, SessionConfig.defaults().withGreeting("Welcome to the first line."));
    VoiceAgent second = h.agent(AGENT, SessionConfig.defaults().withGreeting("Second line here."));
    Running a = h.call(first, false);
    Running b = h.call(first, false);
    Running c = h.call(second, false);
    for (Running r : List.of(a, b, c)) {
      r.events().await(CallEvent.SpeechSynthesized.class, s -> s.kind() == SpeechKind.GREETING);
    }
    assertEquals(2, h.clock.pending(), "one pacing tick per agent and loop, whatever the number of calls");
    h.advance(a, 1600);
    assertEquals("Welcome to the first line.", a.events().await(CallEvent.SpeechPlayed.class).text());
    assertEquals("Welcome to the first line.", b.events().await(CallEvent.SpeechPlayed.class).text());
    assertEquals("Second line here.", c.events().await(CallEvent.SpeechPlayed.class).text());
    assertEquals(a.transport().audioBytes(), b.transport().audioBytes());
    assertEquals((int) (ToneVoice.seconds(3) * 8000), c.transport().audioBytes());
  }

  @Test
  void closingTheAgentEndsItsRunningCallsCleanly() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults().withGoodbye("Goodbye."));
    Running r = h.call(agent, false);
    agent.close();
    assertEquals("shutdown", r.transport().hungUp.get(10, TimeUnit.SECONDS), "hung up at once, no goodbye");
    assertEquals("shutdown", r.call().completion().block(Duration.ofSeconds(10)).reason());
    assertEquals(0, r.transport().audioBytes());
  }
}
