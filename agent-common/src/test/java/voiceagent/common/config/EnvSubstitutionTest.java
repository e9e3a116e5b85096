package voiceagent.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;

/** The documented semantics of {@code ${NAME}} and {@code ${NAME:default}}, shared by configuration and webhooks. */
class EnvSubstitutionTest {
  private static String apply(String text, Map<String, String> env) {
    return EnvSubstitution.apply(text, env, (name, reference) -> new IllegalStateException(name + " " + reference));
  }

  @Test
  void aSetVariableReplacesItsReferenceAndAnUnsetOneTakesItsDefault() {
    assertEquals("Bearer k1 eu", apply("Bearer ${KEY} ${REGION:eu}", Map.of("KEY", "k1")));
    assertEquals("x=", apply("x=${EMPTY_DEFAULT:}", Map.of()));
    assertEquals("http://a:8080/b", apply("${URL:http://a:8080/b}", Map.of()));
  }

  @Test
  void aBlankVariableCountsAsUnset() {
    assertEquals("eu", apply("${REGION:eu}", Map.of("REGION", "")));
    assertEquals("eu", apply("${REGION:eu}", Map.of("REGION", "  \t")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> apply("Bearer ${KEY}", Map.of("KEY", " ")));
    assertEquals("KEY ${KEY}", e.getMessage());
  }

  @Test
  void substitutedValuesAreNotScannedAgain() {
    assertEquals("${OTHER}", apply("${A}", Map.of("A", "${OTHER}", "OTHER", "no")));
  }

  @Test
  void configurationAndItsErrorsFollowTheSameRules() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ConfigTree tree = ConfigTree.of(json.readTree("{\"a\":\"${X:dflt}\"}"), Map.of("X", ""));
    assertEquals("dflt", tree.string("a", null));
    AgentException e = assertThrows(AgentException.class,
        () -> ConfigTree.of(json.readTree("{\"s\":{\"key\":\"sk_literal ${TOKEN}\"}}"), Map.of("TOKEN", "")));
    assertEquals("s.key=${TOKEN}: environment variable TOKEN is not set (or blank) and has no default", e.getMessage());
  }
}
