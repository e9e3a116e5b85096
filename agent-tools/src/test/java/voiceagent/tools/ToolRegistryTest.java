package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;

class ToolRegistryTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ToolRegistry registry(boolean reversedKeys) {
    ObjectNode schema = MAPPER.createObjectNode();
    ObjectNode city = MAPPER.createObjectNode();
    if (reversedKeys) {
      city.put("description", "City name").put("type", "string");
      schema.put("additionalProperties", false);
      schema.putArray("required").add("city");
      schema.putObject("properties").set("city", city);
      schema.put("type", "object");
    } else {
      schema.put("type", "object");
      schema.putObject("properties").set("city", city);
      city.put("type", "string").put("description", "City name");
      schema.putArray("required").add("city");
      schema.put("additionalProperties", false);
    }
    Tool weather = Tool.builder("weather").description("Gets the weather.").parameters(schema)
        .handler(json -> "sunny").build();
    Tool time = Tool.builder("time").description("Tells the time.").handler(json -> "noon").build();
    return ToolRegistry.of(weather, time);
  }

  @Test
  void catalogBytesAreIdenticalWhateverTheKeyInsertionOrder() {
    ToolRegistry a = registry(false);
    ToolRegistry b = registry(true);

    assertArrayEquals(a.catalogBytes(), b.catalogBytes());
    assertEquals("[{\"function\":{\"description\":\"Gets the weather.\",\"name\":\"weather\",\"parameters\":"
        + "{\"additionalProperties\":false,\"properties\":{\"city\":{\"description\":\"City name\",\"type\":\"string\"}},"
        + "\"required\":[\"city\"],\"type\":\"object\"}},\"type\":\"function\"},"
        + "{\"function\":{\"description\":\"Tells the time.\",\"name\":\"time\",\"parameters\":"
        + "{\"additionalProperties\":false,\"properties\":{},\"type\":\"object\"}},\"type\":\"function\"}]",
        a.catalogJson());
    assertArrayEquals(a.catalogJson().getBytes(StandardCharsets.UTF_8), a.catalogBytes());
  }

  @Test
  void catalogIsComputedOnceAndCannotBeChangedThroughCopies() {
    ToolRegistry registry = registry(false);
    String before = registry.catalogJson();
    registry.catalog().removeAll();
    registry.catalogBytes()[0] = 'x';

    assertSame(before, registry.catalogJson());
    assertEquals('[', registry.catalogBytes()[0]);
    assertEquals(2, registry.catalog().size());
  }

  @Test
  void toolsKeepRegistrationOrderAndAreFoundByName() {
    ToolRegistry registry = registry(false);
    assertEquals(List.of("weather", "time"), registry.tools().stream().map(Tool::name).toList());
    assertEquals("time", registry.find("time").orElseThrow().name());
    assertTrue(registry.find("nope").isEmpty());
    assertNotEquals(ToolRegistry.of(registry.tools().reversed()).catalogJson(), registry.catalogJson());
  }

  @Test
  void duplicateNameIsRejectedNamingIt() {
    Tool a = Tool.builder("lookup").description("Looks up.").handler(json -> "a").build();
    Tool b = Tool.builder("lookup").description("Looks up again.").handler(json -> "b").build();
    AgentException e = assertThrows(AgentException.class, () -> ToolRegistry.of(a, b));
    assertTrue(e.getMessage().contains("lookup") && e.getMessage().contains("duplicate"), e.getMessage());
  }
}
