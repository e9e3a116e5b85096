package voiceagent.tools.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks tool arguments against the tool's JSON Schema (draft 2020-12, networknt json-schema-validator) before the
 * tool runs, so a model's mistake becomes a short error it can read and correct, and the tool never sees bad input.
 *
 * <p>Thread contract: immutable, thread-safe (a compiled networknt schema may be shared).
 */
public final class ArgumentValidator {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /**
   * How many problems one error result lists. The first few are enough for the model to correct its call, and a
   * long list costs tokens in every later request.
   */
  private static final int MAX_REPORTED = 3;

  private final JsonSchema schema;

  private ArgumentValidator(JsonSchema schema) {
    this.schema = schema;
  }

  /** Compiles {@code schema}; throws {@link IllegalArgumentException} with the validator's message when it cannot. */
  public static ArgumentValidator compile(ObjectNode schema) {
    try {
      JsonSchema compiled = FACTORY.getSchema(schema);
      compiled.initializeValidators();
      return new ArgumentValidator(compiled);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The problems of {@code arguments}, e.g. {@code "$: required property 'city' not found"}, or empty when valid. */
  public Optional<String> problems(JsonNode arguments) {
    var messages = schema.validate(arguments);
    if (messages.isEmpty()) return Optional.empty();
    return Optional.of(messages.stream().map(ValidationMessage::getMessage).sorted().limit(MAX_REPORTED)
        .collect(Collectors.joining("; ")));
  }
}
