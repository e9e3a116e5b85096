package voiceagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import voiceagent.tools.internal.dispatch.Json;

/**
 * One tool call the model asked for: its id, the tool's name and the arguments as the model wrote them.
 *
 * <p>Thread contract: immutable (do not mutate {@code arguments}).
 *
 * @param id the call id the {@code tool} message must echo as {@code tool_call_id}
 * @param name the tool name the model chose (it may name no registered tool)
 * @param arguments the parsed arguments, or {@code null} when {@code rawArguments} is not valid JSON
 * @param rawArguments the arguments text exactly as streamed
 */
public record ToolCall(String id, String name, JsonNode arguments, String rawArguments) {

  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }

  /**
   * A call whose arguments are parsed from {@code rawArguments}. Blank text counts as {@code {}} because models send
   * {@code ""} for tools without parameters; text that does not parse gives {@code arguments == null}, which the
   * executor answers with an error result instead of running the tool.
   */
  public static ToolCall of(String id, String name, String rawArguments) {
    return new ToolCall(id, name, Json.parseOrNull(rawArguments), rawArguments);
  }
}
