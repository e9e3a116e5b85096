package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class ToolBuilderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void invalidNameIsRejectedNamingFieldAndValue() {
    AgentException e = assertThrows(AgentException.class, () -> Tool.builder("get weather"));
    assertEquals(ErrorKind.CONFIG, e.kind());
    assertTrue(e.getMessage().startsWith("tool.name=get weather:"), e.getMessage());
    assertThrows(AgentException.class, () -> Tool.builder("x".repeat(65)));
    assertThrows(AgentException.class, () -> Tool.builder(""));
  }

  @Test
  void blankDescriptionNamesTheToolAndField() {
    AgentException e = assertThrows(AgentException.class, () -> Tool.builder("lookup").description("  "));
    assertTrue(e.getMessage().startsWith("tools.lookup.description="), e.getMessage());
  }

  @Test
  void missingDescriptionOrHandlerIsRejectedAtBuild() {
    AgentException noDescription = assertThrows(AgentException.class,
        () -> Tool.builder("lookup").handler(json -> "x").build());
    assertTrue(noDescription.getMessage().startsWith("tools.lookup.description"), noDescription.getMessage());
    AgentException noHandler = assertThrows(AgentException.class,
        () -> Tool.builder("lookup").description("Looks up.").build());
    assertTrue(noHandler.getMessage().startsWith("tools.lookup.handler"), noHandler.getMessage());
  }

  @Test
  void parametersMustBeAnObjectSchema() throws Exception {
    ObjectNode array = (ObjectNode) MAPPER.readTree("{\"type\":\"array\"}");
    AgentException e = assertThrows(AgentException.class, () -> Tool.builder("lookup").parameters(array));
    assertTrue(e.getMessage().startsWith("tools.lookup.parameters.type=\"array\""), e.getMessage());
  }

  @Test
  void zeroTimeoutIsRejected() {
    AgentException e = assertThrows(AgentException.class, () -> Tool.builder("lookup").timeout(Duration.ZERO));
    assertTrue(e.getMessage().startsWith("tools.lookup.timeout=PT0S"), e.getMessage());
  }

  @Test
  void parametersAreCopiedInAndOut() throws Exception {
    ObjectNode schema = (ObjectNode) MAPPER.readTree(
        "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\",\"properties\":{}}");
    Tool tool = Tool.builder("lookup").description("Looks up.").parameters(schema).handler(json -> "x").build();
    schema.put("extra", true);
    tool.parameters().put("extra", true);
    assertEquals(MAPPER.readTree("{\"type\":\"object\",\"properties\":{}}"), tool.parameters());
  }

  @Test
  void fillerFunctionNamesTheArgumentAndFallsBackToTheFixedFiller() throws Exception {
    Tool tool = Tool.builder("lookup").description("Looks up.").filler("One moment.")
        .filler(args -> args.hasNonNull("city") ? "Checking " + args.get("city").asText() + "…" : null)
        .handler(json -> "x").build();
    assertEquals("Checking Paris…", tool.filler(MAPPER.readTree("{\"city\":\"Paris\"}")).orElseThrow());
    assertEquals("One moment.", tool.filler(MAPPER.readTree("{}")).orElseThrow());
    assertEquals("One moment.", tool.filler(null).orElseThrow(), "unparseable arguments: the function throws");
    assertEquals("One moment.", tool.filler().orElseThrow());
  }
}
