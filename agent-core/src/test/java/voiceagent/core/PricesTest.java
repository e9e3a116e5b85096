package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.PriceTable;

/** Cost from usage matches the protocol's worked example exactly; the price table loads versions and names bad keys. */
class PricesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final String TWO_VERSIONS = """
      current: ${PRICE_VERSION:contract-2026-09}
      versions:
        electron-2026-05:
          input_per_million: 0.40
          cached_input_per_million: 0.10
          output_per_million: 1.60
        contract-2026-09:
          input_per_million: "0.30"
          cached_input_per_million: 0.075
          output_per_million: 1.20
      """;

  private static PriceTable table(String yaml, Map<String, String> env) throws Exception {
    return PriceTable.load(ConfigTree.of(YAML.readTree(yaml), env));
  }

  private static void assertSameAmount(String expected, BigDecimal actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
  }

  @Test
  void documentedExampleWithoutCacheCosts94() {
    assertSameAmount("0.00094", Prices.LAUNCH_2026_05.cost(1550, 0, 200));
  }

  @Test
  void documentedExampleWith1500CachedCosts49() {
    assertSameAmount("0.00049", Prices.LAUNCH_2026_05.cost(1550, 1500, 200));
  }

  @Test
  void costIsExactOverManyTurns() {
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < 1000; i++) sum = sum.add(Prices.LAUNCH_2026_05.cost(1550, 1500, 200));
    assertSameAmount("0.49", sum);
  }

  @Test
  void cachedAbovePromptIsRejectedNamingBoth() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Prices.LAUNCH_2026_05.cost(100, 101, 0));
    assertEquals("cachedTokens=101 exceeds promptTokens=100", e.getMessage());
  }

  @Test
  void negativeCountsAndPricesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Prices.LAUNCH_2026_05.cost(-1, 0, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Prices("v", BigDecimal.ONE, new BigDecimal("-0.1"), BigDecimal.ONE));
    assertEquals("cached_input_per_million=-0.1: must not be negative", e.getMessage());
  }

  @Test
  void loadsTwoVersionsAndPicksCurrent() throws Exception {
    PriceTable t = table(TWO_VERSIONS, Map.of());
    assertEquals(List.of("electron-2026-05", "contract-2026-09"), List.copyOf(t.versions()));
    assertEquals("contract-2026-09", t.current().version());
    assertSameAmount("0.075", t.current().cachedInputPerMillion());
    assertSameAmount("0.000345", t.current().cost(1500, 1000, 100)); // 500×0.30 + 1000×0.075 + 100×1.20 = 345 per M
    assertEquals(Prices.LAUNCH_2026_05, t.version("electron-2026-05"));
  }

  @Test
  void environmentPicksAnotherCurrentVersion() throws Exception {
    PriceTable t = table(TWO_VERSIONS, Map.of("PRICE_VERSION", "electron-2026-05"));
    assertEquals(Prices.LAUNCH_2026_05, t.current());
  }

  @Test
  void unknownCurrentNamesTheVersionsThereAre() {
    AgentException e = assertThrows(AgentException.class,
        () -> table(TWO_VERSIONS, Map.of("PRICE_VERSION", "foo")));
    assertEquals(ErrorKind.CONFIG, e.kind());
    assertEquals("prices.current=foo: no such version (have: electron-2026-05, contract-2026-09)", e.getMessage());
    AgentException lookup = assertThrows(AgentException.class, () -> table(TWO_VERSIONS, Map.of()).version("bar"));
    assertEquals("prices.versions=bar: no such version (have: electron-2026-05, contract-2026-09)",
        lookup.getMessage());
  }

  @Test
  void notANumberNamesKeyAndValue() {
    String yaml = TWO_VERSIONS.replace("input_per_million: \"0.30\"", "input_per_million: abc");
    AgentException e = assertThrows(AgentException.class, () -> table(yaml, Map.of()));
    assertEquals("prices.versions.contract-2026-09.input_per_million=abc: not a number", e.getMessage());
  }

  @Test
  void negativeAndMissingPricesAreRejected() {
    String negative = TWO_VERSIONS.replace("output_per_million: 1.20", "output_per_million: -1.20");
    assertEquals("prices.versions.contract-2026-09.output_per_million=-1.2: must not be negative",
        assertThrows(AgentException.class, () -> table(negative, Map.of())).getMessage());
    String missing = TWO_VERSIONS.replace("    output_per_million: 1.20\n", "");
    assertEquals("prices.versions.contract-2026-09.output_per_million=null: required",
        assertThrows(AgentException.class, () -> table(missing, Map.of())).getMessage());
    assertEquals("prices.versions={}: at least one version is required",
        assertThrows(AgentException.class, () -> table("current: x\n", Map.of())).getMessage());
  }

  @Test
  void withoutPricesYamlOnTheClassPathTheLaunchPricesApply() {
    PriceTable t = PriceTable.fromClasspath(); // agent-core's tests do not have the config module
    assertEquals(Prices.LAUNCH_2026_05, t.current());
    assertEquals(List.of("electron-2026-05"), List.copyOf(t.versions()));
  }
}
