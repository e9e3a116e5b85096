package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

class SchemaGenerationTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  enum Unit { CELSIUS, FAHRENHEIT }

  record Place(@ToolParam(description = "City name") String city, @ToolParam(required = false) String country) {}

  record ForecastRequest(Place place, @ToolParam(description = "Temperature unit") Unit unit, int days) {}

  /** Tools as an application writes them. */
  public static final class WeatherTools {
    @ToolFunction(description = "Gets the forecast for a place.", timeoutMillis = 2_000)
    public String forecast(ForecastRequest request) {
      return request.place().city() + "/" + request.unit() + "/" + request.days();
    }

    @ToolFunction(name = "book_table", description = "Books a table.", sideEffects = true, filler = "One moment.")
    public String book(@ToolParam(description = "Guests") int guests,
        @ToolParam(description = "Seating area", required = false) Unit area) {
      return guests + ":" + area;
    }
  }

  @Test
  void recordSchemaHasNestedRecordEnumDescriptionsAndNoSchemaKey() throws Exception {
    Tool tool = Tool.builder("forecast").description("Gets the forecast.").parameters(ForecastRequest.class)
        .handler(json -> "x").build();
    JsonNode schema = tool.parameters();

    assertFalse(schema.has("$schema"), schema.toString());
    assertEquals("object", schema.get("type").asText());
    assertFalse(schema.get("additionalProperties").asBoolean());
    assertEquals(List.of("days", "place", "unit"), sorted(schema.get("required")));
    JsonNode unit = schema.at("/properties/unit");
    assertEquals("Temperature unit", unit.get("description").asText());
    assertEquals(MAPPER.readTree("[\"CELSIUS\",\"FAHRENHEIT\"]"), unit.get("enum"));
    assertEquals("integer", schema.at("/properties/days/type").asText());
    JsonNode place = schema.at("/properties/place");
    assertEquals("object", place.get("type").asText());
    assertFalse(place.get("additionalProperties").asBoolean());
    assertEquals("City name", place.at("/properties/city/description").asText());
    assertEquals(List.of("city"), sorted(place.get("required")), "optional component is not required");
  }

  @Test
  void annotatedMethodsBecomeToolsSortedByNameWithTheirSettings() {
    List<Tool> tools = Tools.fromObject(new WeatherTools());

    assertEquals(List.of("book_table", "forecast"), tools.stream().map(Tool::name).toList());
    Tool book = tools.get(0);
    assertTrue(book.sideEffects());
    assertEquals("One moment.", book.filler().orElseThrow());
    assertEquals(Tool.DEFAULT_TIMEOUT, book.timeout());
    ObjectNode schema = book.parameters();
    assertEquals("Guests", schema.at("/properties/guests/description").asText());
    assertEquals("integer", schema.at("/properties/guests/type").asText());
    assertEquals("Seating area", schema.at("/properties/area/description").asText());
    assertEquals(List.of("guests"), sorted(schema.get("required")));
    assertFalse(schema.get("additionalProperties").asBoolean());

    Tool forecast = tools.get(1);
    assertFalse(forecast.sideEffects());
    assertEquals(Duration.ofSeconds(2), forecast.timeout());
    assertTrue(forecast.parameters().at("/properties/place/properties").has("city"),
        "a single record parameter is the arguments object itself");
  }

  @Test
  void annotatedNonPublicMethodIsRejectedByName() {
    Object target = new Object() {
      @ToolFunction(description = "Hidden.")
      String hidden() { return ""; }
    };
    AgentException e = assertThrows(AgentException.class, () -> Tools.fromObject(target));
    assertEquals(ErrorKind.CONFIG, e.kind());
    assertTrue(e.getMessage().contains("hidden"), e.getMessage());
  }

  private static List<String> sorted(JsonNode array) {
    return array.valueStream().map(JsonNode::asText).sorted().toList();
  }
}
