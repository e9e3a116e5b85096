package voiceagent.core;

import java.util.List;
import java.util.Objects;

/**
 * One message of a chat conversation in Electron's (OpenAI's) shape. History is append-only, so a message never
 * changes once sent: its serialization is part of the cached prompt prefix of every later request.
 *
 * <p>Thread contract: immutable.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content    the text; null on an assistant message that only carries tool calls
 * @param toolCalls  the calls an assistant message made (empty otherwise)
 * @param toolCallId the call a {@code tool} message answers (null otherwise)
 */
public record ChatMessage(String role, String content, List<ToolCallRef> toolCalls, String toolCallId) {

  /** A tool call as the assistant made it; {@code arguments} is the JSON text exactly as streamed. */
  public record ToolCallRef(String id, String name, String arguments) {
    public ToolCallRef {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
  }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (role.equals("tool") && toolCallId == null) {
      throw new IllegalArgumentException("tool message needs tool_call_id");
    }
    if (content == null && toolCalls.isEmpty()) {
      throw new IllegalArgumentException(role + " message needs content or tool_calls");
    }
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content, List.of(), null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content, List.of(), null);
  }

  /** An assistant message; {@code content} may be null or empty when it only carries tool calls. */
  public static ChatMessage assistant(String content, List<ToolCallRef> toolCalls) {
    String text = content == null || content.isEmpty() ? null : content;
    return new ChatMessage("assistant", text == null && (toolCalls == null || toolCalls.isEmpty()) ? "" : text,
        toolCalls, null);
  }

  public static ChatMessage tool(String toolCallId, String content) {
    return new ChatMessage("tool", content, List.of(), toolCallId);
  }
}
