package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/** An embedder's bad agent settings are refused when the config is built, naming the setting and the value. */
class AgentConfigTest {

  @Test
  void temperatureOutsideZeroToTwoIsRefusedWithItsNameAndValue() {
    for (double bad : new double[] {-0.1, 2.5, Double.NaN}) {
      AgentException e = assertThrows(AgentException.class,
          () -> AgentConfig.builder("You are terse.").temperature(bad).build());
      assertEquals(ErrorKind.CONFIG, e.kind());
      assertTrue(e.getMessage().contains("agent.temperature") && e.getMessage().contains(String.valueOf(bad)),
          e.getMessage());
    }
    assertDoesNotThrow(() -> AgentConfig.builder("You are terse.").temperature(0.0).build());
    assertDoesNotThrow(() -> AgentConfig.builder("You are terse.").temperature(2.0).build());
  }

  @Test
  void toolRoundsAndMaxTokensOutOfRangeAreRefused() {
    assertThrows(AgentException.class, () -> AgentConfig.builder("p").maxToolRounds(21).build());
    assertThrows(AgentException.class, () -> AgentConfig.builder("p").maxTokens(0).build());
  }
}
