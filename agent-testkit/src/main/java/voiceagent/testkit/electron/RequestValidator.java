package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import voiceagent.testkit.electron.ErrorReply.Detail;

/**
 * Electron's request validation (§2 of the protocol notes): the failures a 400 reports in {@code error.details[]},
 * each naming the field by path and the value that failed.
 *
 * <p>Thread contract: stateless.
 */
final class RequestValidator {
  static final int MAX_MESSAGES = 200;
  static final int MAX_TOOLS = 64;
  static final int MAX_STOPS = 4;
  static final int CONTEXT_TOKENS = 32_768;
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  private RequestValidator() {}

  /** The problems of {@code body} (null when it was not JSON); empty when the request is valid. */
  static List<Detail> validate(JsonNode body) {
    List<Detail> out = new ArrayList<>();
    if (body == null || !body.isObject()) {
      out.add(detail("invalid_type", "body must be a JSON object"));
      return out;
    }
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      out.add(detail("invalid_type", "model is required, got " + model, "model"));
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      out.add(detail("invalid_type", "messages must be a non-empty array, got " + abbreviate(messages), "messages"));
    } else if (messages.size() > MAX_MESSAGES) {
      out.add(detail("too_big", "messages must have at most " + MAX_MESSAGES + " items, got " + messages.size(),
          "messages"));
    } else {
      for (int i = 0; i < messages.size(); i++) validateMessage(messages.get(i), i, out);
    }
    JsonNode n = body.get("n");
    if (n != null && !n.isNull() && n.asInt(1) != 1) out.add(detail("custom", "n must be 1, got " + n, "n"));
    if (body.has("prompt_logprobs")) {
      out.add(detail("unrecognized_keys", "prompt_logprobs is not supported", "prompt_logprobs"));
    }
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray() || tools.isEmpty()) {
        out.add(detail("too_small", "tools must not be empty; omit the field instead, got " + tools, "tools"));
      } else if (tools.size() > MAX_TOOLS) {
        out.add(detail("too_big", "tools must have at most " + MAX_TOOLS + " items, got " + tools.size(), "tools"));
      }
    }
    JsonNode stop = body.get("stop");
    if (stop != null && stop.isArray() && stop.size() > MAX_STOPS) {
      out.add(detail("too_big", "stop must have at most " + MAX_STOPS + " strings, got " + stop.size(), "stop"));
    }
    return out;
  }

  /** The context check, once the prompt is counted: prompt plus {@code max_tokens} must fit in the window. */
  static List<Detail> validateContext(JsonNode body, int promptTokens, int contextTokens) {
    int maxTokens = body.path("max_tokens").asInt(0);
    if (promptTokens + maxTokens <= contextTokens) return List.of();
    return List.of(detail("too_big", "context length is " + contextTokens + " tokens, prompt has " + promptTokens
        + " and max_tokens is " + maxTokens, maxTokens > 0 ? "max_tokens" : "messages"));
  }

  private static void validateMessage(JsonNode m, int i, List<Detail> out) {
    String role = m.path("role").asText(null);
    if (role == null || !ROLES.contains(role)) {
      out.add(detail("invalid_enum_value", "messages[" + i + "].role must be one of " + ROLES + ", got "
          + m.get("role"), "messages", i, "role"));
    } else if (role.equals("tool") && !m.path("tool_call_id").isTextual()) {
      out.add(detail("invalid_type", "messages[" + i + "].tool_call_id is required on tool messages",
          "messages", i, "tool_call_id"));
    }
  }

  private static Detail detail(String code, String message, Object... path) {
    return new Detail(code, message, List.of(path));
  }

  private static String abbreviate(JsonNode node) {
    String s = String.valueOf(node);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
