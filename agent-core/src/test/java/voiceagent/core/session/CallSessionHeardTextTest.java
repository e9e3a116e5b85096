package voiceagent.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.session.SessionHarness.concat;
import static voiceagent.core.session.SessionHarness.silence;
import static voiceagent.core.session.SessionHarness.speech;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentConfig;
import voiceagent.core.CallEvent;
import voiceagent.core.VoiceAgent;
import voiceagent.core.session.SessionHarness.Running;
import voiceagent.testkit.electron.ElectronReply;

/**
 * History is what was heard: an interrupted reply is written cut to the last word played (Lightning's word times
 * against the pacing cursor, confirmed by the transport's clear), and a false interruption resumes the reply.
 */
class CallSessionHeardTextTest {
  @RegisterExtension final SessionHarness h = new SessionHarness();

  private static final String REPLY = "One two three four five six seven eight nine ten.";

  private Running askAndHearTheStart(VoiceAgent agent, boolean acknowledges, String... utterances) throws Exception {
    h.pulseEmulator.expectUtterances(utterances);
    h.electronEmulator.enqueue(ElectronReply.text(REPLY), ElectronReply.text("Okay."));
    Running r = h.call(agent, acknowledges);
    h.say(r, concat(speech(600), silence(600)));
    r.events().await(CallEvent.SpeechSynthesized.class);
    return r;
  }

  /**
   * Advances virtual time until the reply has played {@code millis}: its first frame went out while the caller's
   * question was still being fed, at a virtual time that depends on how fast the emulators answered.
   */
  private void playReplyFor(Running r, long millis) throws Exception {
    long started = r.events().await(CallEvent.SpeechStarted.class, e -> e.text().startsWith("One")).atMillis();
    h.advanceTo(r, started + millis);
  }

  /** Assistant content of the Electron request {@code index}, or null when there is none. */
  private String lastAssistant(int index) {
    JsonNode messages = h.electronEmulator.requests().get(index).json().get("messages");
    String content = null;
    for (JsonNode m : messages) if (m.get("role").asText().equals("assistant")) content = m.path("content").asText();
    return content;
  }

  @Test
  void anInterruptedReplyIsWrittenCutToTheLastWordPlayed() throws Exception {
    VoiceAgent agent = h.agent(AgentConfig.builder("You are a test agent.").build(), CallSessionBargeInTest.SESSION);
    Running r = askAndHearTheStart(agent, true, "Count for me", "Stop please");
    // 800 ms of playback, then the caller talks: 300 ms of speech later (1.08 s played) the agent stops. Word four
    // ends at 0.95 s, word five at 1.2 s.
    playReplyFor(r, 800);
    h.say(r, concat(speech(600), silence(600)));

    CallEvent.Interrupted cut = r.events().await(CallEvent.Interrupted.class);
    assertEquals("One two three four", cut.heardText());
    assertEquals("five six seven eight nine ten.", cut.unheardText());
    r.events().await(CallEvent.TurnStarted.class, e -> e.turn() == 2);
    r.events().await(CallEvent.TurnEnded.class, e -> e.turn() == 2);
    assertEquals("One two three four", lastAssistant(1), "the history holds what the caller heard");
    // Up to the clear (the answer to turn 2 may already be playing by now): what played plus the lead.
    long sent = r.transport().clearedAtBytes().getFirst();
    assertTrue(sent < 8000 * 1.3, "the lead is all that was queued beyond the cut: " + sent + " bytes");
  }

  @Test
  void withoutPlaybackAcknowledgementThePacingCursorPlacesTheCut() throws Exception {
    VoiceAgent agent = h.agent(AgentConfig.builder("You are a test agent.").build(), CallSessionBargeInTest.SESSION);
    Running r = askAndHearTheStart(agent, false, "Count for me", "Stop please");
    playReplyFor(r, 1300); // then 300 ms of caller speech: 1.58 s played; word six ends at 1.45 s, seven at 1.7 s
    h.say(r, concat(speech(600), silence(600)));

    CallEvent.Interrupted cut = r.events().await(CallEvent.Interrupted.class);
    assertEquals("One two three four five six", cut.heardText());
    r.events().await(CallEvent.TurnEnded.class, e -> e.turn() == 2);
    assertEquals("One two three four five six", lastAssistant(1));
  }

  @Test
  void aFalseInterruptionResumesTheReplyWhereItStopped() throws Exception {
    VoiceAgent agent = h.agent(AgentConfig.builder("You are a test agent.").build(), CallSessionBargeInTest.SESSION);
    // The cough is a speech segment with no words in it.
    Running r = askAndHearTheStart(agent, true, "Count for me", "");
    playReplyFor(r, 800);
    h.say(r, concat(speech(400), silence(500))); // barge-in at 300 ms of speech, then quiet
    r.events().await(CallEvent.TranscriptFinal.class, e -> true);
    h.advance(r, 800); // past the 1 s grace after the barge-in

    CallEvent.InterruptionResumed resumed = r.events().await(CallEvent.InterruptionResumed.class);
    assertEquals(1, resumed.turn());
    assertEquals("five six seven eight nine ten.", resumed.resumedText(), "from the first word not heard");
    r.events().await(CallEvent.SpeechSynthesized.class, e -> e.text().startsWith("five"));
    h.advance(r, 2000);
    r.events().await(CallEvent.SpeechPlayed.class, e -> e.text().startsWith("five"));
    assertTrue(r.events().all(CallEvent.Interrupted.class).isEmpty(), "in the end everything was heard");

    r.call().sendText("Thanks");
    r.events().await(CallEvent.TurnEnded.class, e -> e.turn() == 2);
    assertEquals(REPLY, lastAssistant(1), "the whole reply is in the history");
  }
}
