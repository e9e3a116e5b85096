package voiceagent.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;

/** The {@code session:} section: shipped defaults, an operator's overrides, and errors that name the field. */
class SessionConfigTest {
  /** The shipped file (module tests run in the module's folder; agent-core does not depend on the config jar). */
  private static final Path SHIPPED = Path.of("..", "config", "voice-agent.yaml");

  @Test
  void theShippedFileGivesTheDefaults() {
    SessionConfig c = SessionConfig.from(ConfigTree.load(SHIPPED, Map.of()).section("session"));
    assertEquals(SessionConfig.defaults(), c);
    SessionConfig greeted = SessionConfig.from(ConfigTree.load(SHIPPED, Map.of("VOICE_AGENT_GREETING", "Hi there."))
        .section("session"));
    assertEquals(SessionConfig.defaults().withGreeting("Hi there."), greeted, "the environment fills the greeting");
  }

  @Test
  void anOperatorsFileOverridesKeyByKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ops.yaml");
    Files.writeString(file, """
        session:
          lead_ms: 60
          greeting: Hi there.
          idle:
            prompt: Still there?
            prompt_after_ms: 8000
            hang_up_after_ms: 6000
          policies:
            speaking: {min_words: 3}
        """);
    SessionConfig c = SessionConfig.from(ConfigTree.load(file, Map.of()).section("session"));
    assertEquals(60, c.leadMillis());
    assertEquals("Hi there.", c.greeting());
    assertEquals("Still there?", c.idlePrompt());
    assertEquals(8000, c.idlePromptMillis());
    assertEquals(6000, c.idleHangUpMillis());
    assertEquals(3, c.speaking().minWords());
    assertEquals(SessionConfig.SPEAKING.minSpeechMillis(), c.speaking().minSpeechMillis(), "other keys keep theirs");
    assertEquals(null, c.goodbye(), "blank means none");
  }

  @Test
  void badValuesAreRejectedNamingTheFieldAndTheValue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "session:\n  lead_ms: 5\n");
    AgentException e = assertThrows(AgentException.class,
        () -> SessionConfig.from(ConfigTree.load(file, Map.of()).section("session")));
    assertTrue(e.getMessage().contains("session.lead_ms") && e.getMessage().contains("5"), e.getMessage());
    AgentException idle = assertThrows(AgentException.class,
        () -> SessionConfig.defaults().withIdle(null, 5000, 0));
    assertTrue(idle.getMessage().contains("session.idle.prompt"), idle.getMessage());
  }
}
