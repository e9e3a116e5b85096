package voiceagent.tools.internal.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Type;

/**
 * The JSON conversions of tool calls: parsing streamed arguments, turning a handler's return value into the text of
 * a {@code tool} message, and writing short error contents.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class Json {
  /** Shared mapper; Jackson mappers are thread-safe once configured. */
  public static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules().build();

  /**
   * Longest error message sent to the model. An error result only has to tell the model what to fix or say; longer
   * text (an HTML error page, a long exception message) costs tokens on every later request of the call.
   */
  static final int MAX_ERROR_CHARS = 200;

  private Json() {}

  /** Parses tool arguments; blank text is {@code {}} and text that is not JSON gives {@code null}. */
  public static JsonNode parseOrNull(String raw) {
    if (raw == null || raw.isBlank()) return MAPPER.createObjectNode();
    try {
      return MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * Binds arguments (or one argument) to a Java type; a mismatch the schema did not catch (a number out of range,
   * a custom deserializer's refusal) becomes {@link InvalidArgumentsException}. {@code null} JSON gives {@code null}.
   */
  @SuppressWarnings("unchecked")
  public static <T> T bind(JsonNode json, Type type) {
    if (json == null || json.isNull()) return null;
    try {
      return (T) MAPPER.treeToValue(json, MAPPER.constructType(type));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new InvalidArgumentsException(detail, e);
    }
  }

  /** The content for a handler's return value: a string as is, {@code null} as {@code {"ok":true}}, else JSON. */
  public static String toContent(Object value) {
    if (value == null) return "{\"ok\":true}";
    if (value instanceof CharSequence text) return text.toString();
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("result of type " + value.getClass().getSimpleName() + " is not JSON-serializable");
    }
  }

  /** {@code {"error":message}} with the message on one line and at most {@value #MAX_ERROR_CHARS} characters. */
  public static String errorContent(String message) {
    return MAPPER.createObjectNode().put("error", shorten(message, MAX_ERROR_CHARS)).toString();
  }

  /** {@code text} on one line, cut to {@code max} characters with an ellipsis. */
  public static String shorten(String text, int max) {
    String line = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }
}
