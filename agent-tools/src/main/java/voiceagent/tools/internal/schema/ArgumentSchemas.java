package voiceagent.tools.internal.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import voiceagent.tools.ToolParam;
import voiceagent.tools.internal.dispatch.Json;

/**
 * Generates the JSON Schema (draft 2020-12) of tool arguments from Java types with victools jsonschema-generator.
 * Schemas are as small as the model needs: no {@code $schema} key, {@code additionalProperties: false} on every
 * object, record components required unless {@code @ToolParam(required = false)} or {@link Optional}, descriptions
 * from {@link ToolParam} or Jackson's {@code @JsonPropertyDescription}, enums as string {@code enum}s.
 *
 * <p>Thread contract: thread-safe; each call uses its own schema builder.
 */
public final class ArgumentSchemas {
  private static final SchemaGenerator GENERATOR = new SchemaGenerator(config());

  private ArgumentSchemas() {}

  /** One argument of a tool given as a method parameter. */
  public record Argument(String name, Type type, String description, boolean required) {}

  private static com.github.victools.jsonschema.generator.SchemaGeneratorConfig config() {
    SchemaGeneratorConfigBuilder builder =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .without(Option.SCHEMA_VERSION_INDICATOR)
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED));
    builder.forFields()
        .withDescriptionResolver(field -> param(field).map(ToolParam::description).filter(d -> !d.isBlank())
            .orElse(null))
        .withRequiredCheck(field -> !field.getType().isInstanceOf(Optional.class)
            && param(field).map(ToolParam::required).orElse(true));
    return builder.build();
  }

  private static Optional<ToolParam> param(FieldScope field) {
    return Optional.ofNullable(field.getAnnotationConsideringFieldAndGetter(ToolParam.class));
  }

  /** The schema of an arguments object whose properties are the components of {@code type}. */
  public static ObjectNode forType(Type type) {
    return GENERATOR.generateSchema(type);
  }

  /** The schema of an arguments object with one property per {@code arguments} entry, in the given order. */
  public static ObjectNode forArguments(List<Argument> arguments) {
    SchemaBuilder builder = GENERATOR.buildMultipleSchemaDefinitions();
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (Argument argument : arguments) properties.set(argument.name(), builder.createSchemaReference(argument.type()));
    // Reference nodes are filled in (inlined or turned into $ref) only when the definitions are collected.
    ObjectNode definitions = builder.collectDefinitions("$defs");
    for (Argument argument : arguments) {
      if (!argument.description().isBlank()) {
        ((ObjectNode) properties.get(argument.name())).put("description", argument.description());
      }
    }
    ArrayNode required = Json.MAPPER.createArrayNode();
    arguments.stream().filter(Argument::required).forEach(a -> required.add(a.name()));
    if (!required.isEmpty()) schema.set("required", required);
    schema.put("additionalProperties", false);
    if (!definitions.isEmpty()) schema.set("$defs", definitions);
    return schema;
  }

  /** The schema of a tool without arguments. */
  public static ObjectNode empty() {
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    schema.putObject("properties");
    return schema.put("additionalProperties", false);
  }
}
