package voiceagent.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.session.SessionHarness.concat;
import static voiceagent.core.session.SessionHarness.silence;
import static voiceagent.core.session.SessionHarness.speech;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.audio.MuLaw;
import voiceagent.core.AgentConfig;
import voiceagent.core.CallEvent;
import voiceagent.core.CallEvent.SpeechKind;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.SessionConfig;
import voiceagent.core.session.SessionHarness.Running;
import voiceagent.testkit.PulseEmulator;
import voiceagent.testkit.SpeechSynthesizer;
import voiceagent.testkit.electron.ElectronReply;

/** A call from start to end: a turn on the zero-transcode path, greeting, idle prompt and hang-up, goodbye. */
class CallSessionLifecycleTest {
  @RegisterExtension final SessionHarness h = new SessionHarness();

  private static final AgentConfig AGENT = AgentConfig.builder("You are a test agent.").build();

  @Test
  void aMulawCallAnswersATurnWithoutResamplingAnywhere() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults());
    h.pulseEmulator.expectUtterances("What is the weather in Paris?");
    h.electronEmulator.enqueue(ElectronReply.text("It is sunny in Paris."));
    Running r = h.call(agent, false);

    CallEvent.CallStarted started = r.events().all(CallEvent.CallStarted.class).getFirst();
    assertEquals("passthrough MULAW/8000Hz/1ch", started.inboundPath());
    assertEquals("mulaw-table 8000", started.outboundPath());

    byte[] caller = concat(speech(600), silence(600));
    h.say(r, caller);
    CallEvent.TurnStarted turn = r.events().await(CallEvent.TurnStarted.class);
    assertEquals("What is the weather in Paris?", turn.userText());
    r.events().await(CallEvent.SpeechSynthesized.class);
    h.advance(r, 2000);
    CallEvent.SpeechPlayed played = r.events().await(CallEvent.SpeechPlayed.class);
    assertEquals("It is sunny in Paris.", played.text());

    PulseEmulator.Connection pulse = h.pulseEmulator.connections().getFirst();
    assertEquals("mulaw", pulse.query().get("encoding"));
    assertEquals("8000", pulse.query().get("sample_rate"));
    assertArrayEquals(caller, Arrays.copyOf(pulse.audio(), caller.length), "Pulse got the caller's bytes as they are");
    assertEquals(8000, h.lightningEmulator.received().getFirst().getInteger("sample_rate"));
    SpeechSynthesizer.Synthesized voice = new ToneVoice().synthesize("It is sunny in Paris.");
    byte[] expected = new byte[voice.pcm16().length / 2];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = MuLaw.encode((short) ((voice.pcm16()[2 * i + 1] << 8) | (voice.pcm16()[2 * i] & 0xFF)));
    }
    assertArrayEquals(expected, r.transport().audio(), "Lightning's PCM, μ-law encoded by table, nothing else");
    CallEvent.TurnLatency latency = r.events().all(CallEvent.TurnLatency.class).getFirst();
    assertTrue(latency.totalToFirstFrameMillis() >= 0 && latency.runtimeMillis() >= 0, latency.toString());
    assertTrue(latency.firstTokenMillis() >= 0 && latency.firstFramePlayedMillis() >= 0, latency.toString());
    for (String hop : List.of("stt_final", "first_token", "first_audio", "first_frame_sent", "runtime")) {
      assertEquals(1, h.meters.get("voice_agent_turn_latency").tag("hop", hop).timer().count(), hop);
    }
  }

  @Test
  void theGreetingPlaysWithoutWaitingForTheCallerAndIsSynthesisedOncePerAgent() throws Exception {
    String greeting = "Hello, thanks for calling.";
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults().withGreeting(greeting));
    for (int call = 1; call <= 2; call++) {
      Running r = h.call(agent, true);
      r.events().await(CallEvent.SpeechSynthesized.class, s -> s.kind() == SpeechKind.GREETING);
      h.advance(r, 1500);
      CallEvent.SpeechPlayed played = r.events().await(CallEvent.SpeechPlayed.class);
      assertEquals(SpeechKind.GREETING, played.kind());
      assertEquals((int) (ToneVoice.seconds(4) * 8000), r.transport().audioBytes(), "the whole greeting, μ-law");
      assertTrue(r.transport().log().stream().anyMatch(l -> l.endsWith("played e1")), r.transport().log().toString());
      assertEquals(0, h.pulseEmulator.connections().get(call - 1).audio().length, "the caller said nothing");
    }
    long greetingRequests = h.lightningEmulator.received().stream()
        .filter(m -> greeting.equals(m.getString("text"))).count();
    assertEquals(1, greetingRequests, "synthesised once, reused by the second call");
  }

  @Test
  void silenceAfterPlayedSpeechGetsTheIdlePromptThenAGoodbyeAndAHangUp() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults().withGreeting("Hello there.")
        .withIdle("Are you still there?", 5000, 4000).withGoodbye("Goodbye for now."));
    Running r = h.call(agent, true);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.kind() == SpeechKind.GREETING);
    h.advance(r, 1000);
    CallEvent.SpeechPlayed greeting = r.events().await(CallEvent.SpeechPlayed.class);
    CallEvent.SpeechPlayed prompt = silenceUntil(r, greeting, 5000, SpeechKind.IDLE_PROMPT);
    silenceUntil(r, prompt, 4000, SpeechKind.GOODBYE);
    assertEquals("idle", r.transport().hungUp.get(10, java.util.concurrent.TimeUnit.SECONDS));
    CallEvent.CallEnded ended = r.events().await(CallEvent.CallEnded.class);
    assertEquals("idle", ended.reason());
    CallEvent.SpeechStarted promptStart = r.events().await(CallEvent.SpeechStarted.class,
        s -> s.kind() == SpeechKind.IDLE_PROMPT);
    CallEvent.SpeechStarted goodbyeStart = r.events().await(CallEvent.SpeechStarted.class,
        s -> s.kind() == SpeechKind.GOODBYE);
    assertTrue(promptStart.atMillis() - greeting.atMillis() >= 5000, promptStart + " after " + greeting);
    assertTrue(goodbyeStart.atMillis() - prompt.atMillis() >= 4000, goodbyeStart + " after " + prompt);
    assertGoodbyePlayedBeforeHangUp(r.transport().log(), ToneVoice.seconds(3));
  }

  @Test
  void hangingUpSaysGoodbyeAndHangsUpOnlyAfterTheGoodbyesMarkCameBack() throws Exception {
    VoiceAgent agent = h.agent(AGENT, SessionConfig.defaults().withGoodbye("Thank you for calling, goodbye."));
    Running r = h.call(agent, true);
    r.call().hangUp();
    CallEvent.SpeechSynthesized goodbye = r.events().await(CallEvent.SpeechSynthesized.class);
    assertEquals(SpeechKind.GOODBYE, goodbye.kind());
    h.advance(r, 1000);
    assertTrue(!r.transport().hungUp.isDone(), "five words take 1.25 s to play: " + r.transport().log());
    h.advance(r, 600);
    assertEquals("agent_hang_up", r.transport().hungUp.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertGoodbyePlayedBeforeHangUp(r.transport().log(), ToneVoice.seconds(5));
    assertEquals((int) (ToneVoice.seconds(5) * 8000), r.transport().audioBytes());
  }

  /**
   * After {@code after}, silence: nothing of {@code kind} until {@code millis} later, then it is spoken and played.
   */
  private CallEvent.SpeechPlayed silenceUntil(Running r, CallEvent.SpeechPlayed after, long millis, SpeechKind kind)
      throws Exception {
    h.advanceTo(r, after.atMillis() + millis - 100);
    assertTrue(r.events().all(CallEvent.SpeechSynthesized.class).stream().noneMatch(s -> s.kind() == kind),
        kind + " not before " + millis + " ms of silence");
    h.advance(r, 200);
    r.events().await(CallEvent.SpeechSynthesized.class, s -> s.kind() == kind);
    h.advance(r, 1500);
    return r.events().await(CallEvent.SpeechPlayed.class, s -> s.kind() == kind);
  }

  /**
   * The log ends with the goodbye's audio starting, its mark sent and played, then the hang-up: the mark came back
   * no sooner than the goodbye's audio takes to play.
   */
  private static void assertGoodbyePlayedBeforeHangUp(List<String> log, double goodbyeSeconds) {
    int n = log.size();
    assertTrue(n >= 4, log.toString());
    String audio = log.get(n - 4);
    String mark = log.get(n - 3);
    String played = log.get(n - 2);
    assertTrue(audio.endsWith(" audio") && mark.contains(" mark e") && played.contains(" played e")
        && log.get(n - 1).contains(" hangup "), log.toString());
    assertEquals(mark.substring(mark.indexOf("mark ") + 5), played.substring(played.indexOf("played ") + 7));
    long playedFor = Long.parseLong(played.split(" ")[0]) - Long.parseLong(audio.split(" ")[0]);
    assertTrue(playedFor >= goodbyeSeconds * 1000 - 20, log.toString());
  }
}
