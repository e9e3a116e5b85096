package voiceagent.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/** Loading an operator's file over the shipped defaults ({@code voice-agent.yaml} of the test class path). */
class ConfigTreeTest {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    return Files.writeString(dir.resolve("operator.yaml"), yaml);
  }

  @Test
  void anUnknownKeyNamesItselfTheFileAndTheNearestKnownKey() throws Exception {
    Path file = file("electron:\n  base_url: http://proxy\n  max_concurency: 5\n");

    AgentException e = assertThrows(AgentException.class, () -> ConfigTree.load(file, Map.of()));

    assertEquals(ErrorKind.CONFIG, e.kind());
    assertEquals("electron.max_concurency: unknown key in " + file + " (did you mean electron.max_concurrency?)",
        e.getMessage());
  }

  @Test
  void anUnknownKeyInANestedSectionAndAtTheTopAreCaught() throws Exception {
    AgentException nested = assertThrows(AgentException.class,
        () -> ConfigTree.load(file("electron:\n  retry:\n    max_atempts: 2\n"), Map.of()));
    assertTrue(nested.getMessage().startsWith("electron.retry.max_atempts: unknown key"), nested.getMessage());
    assertTrue(nested.getMessage().endsWith("(did you mean electron.retry.max_attempts?)"), nested.getMessage());

    AgentException top = assertThrows(AgentException.class,
        () -> ConfigTree.load(file("electorn:\n  model: x\n"), Map.of()));
    assertTrue(top.getMessage().endsWith("(did you mean electron?)"), top.getMessage());
  }

  @Test
  void theValueOfAnUnknownKeyIsNeverEchoed() throws Exception {
    AgentException e = assertThrows(AgentException.class,
        () -> ConfigTree.load(file("electron:\n  api_kye: sk_live_secret\n"), Map.of()));
    assertFalse(e.getMessage().contains("sk_live_secret"), e.getMessage());
  }

  @Test
  void knownKeysOverlayTheDefaultsAndPricesAreTheOperatorsOwn() throws Exception {
    ConfigTree tree = ConfigTree.load(file("""
        electron:
          model: ${MODEL:fallback-model}
          retry: {max_attempts: 2}
        prices:
          current: contract-2027
          versions:
            contract-2027: {input_per_million: 0.3}
        """), Map.of());

    assertEquals("fallback-model", tree.section("electron").string("model", null));
    assertEquals(2, tree.section("electron").section("retry").integer("max_attempts", 0));
    assertEquals("contract-2027", tree.section("prices").string("current", null));
  }
}
