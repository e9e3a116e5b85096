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
  }
}
