package voiceagent.tools.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import voiceagent.common.AgentException;
import voiceagent.common.Secret;
import voiceagent.common.config.EnvSubstitution;

/**
 * One webhook tool as declared in config, with environment variables substituted:
 * {@code {"name", "description", "parameters"?, "url", "headers"?, "timeout_ms"?, "side_effects"?, "filler"?}}.
 * {@code side_effects} defaults to true: the runtime cannot know what a POST does, and a side-effecting call that a
 * barge-in cancels before it starts is never sent.
 *
 * <p>Thread contract: immutable.
 */
public record WebhookSpec(String name, String description, ObjectNode parameters, String url,
    Map<String, Secret> headers, long timeoutMillis, boolean sideEffects, String filler) {

  /** Default time limit of one webhook call, as for other tools. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

  private static final Set<String> KEYS =
      Set.of("name", "description", "parameters", "url", "headers", "timeout_ms", "side_effects", "filler");

  /** Reads entry {@code index} of a tools list; every error names the field (and the tool once its name is known). */
  public static WebhookSpec parse(JsonNode entry, int index, Map<String, String> env) {
    String at = "tools[" + index + "]";
    if (!entry.isObject()) throw AgentException.config(at, entry.getNodeType(), "must be an object");
    String name = text(entry, at, "name", true);
    String path = "tools." + name;
    for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) throw AgentException.config(path + "." + key, entry.get(key), "unknown key; known: " + KEYS);
    }
    String description = text(entry, path, "description", true);
    JsonNode parameters = entry.get("parameters");
    if (parameters != null && !parameters.isObject()) {
      throw AgentException.config(path + ".parameters", parameters.getNodeType(), "must be a JSON Schema object");
    }
    String url = substitute(text(entry, path, "url", true), env, path + ".url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw AgentException.config(path + ".url", url, "is not a URI");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw AgentException.config(path + ".url", url, "must be an absolute http or https URL");
    }
    Map<String, Secret> headers = headers(entry.get("headers"), env, path + ".headers");
    long timeout = DEFAULT_TIMEOUT_MILLIS;
    JsonNode t = entry.get("timeout_ms");
    if (t != null) {
      if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() <= 0) {
        throw AgentException.config(path + ".timeout_ms", t, "must be a positive whole number of milliseconds");
      }
      timeout = t.asLong();
    }
    JsonNode sideEffects = entry.get("side_effects");
    if (sideEffects != null && !sideEffects.isBoolean()) {
      throw AgentException.config(path + ".side_effects", sideEffects, "must be true or false");
    }
    return new WebhookSpec(name, description, parameters == null ? null : (ObjectNode) parameters, url, headers,
        timeout, sideEffects == null || sideEffects.asBoolean(), text(entry, path, "filler", false));
  }

  private static Map<String, Secret> headers(JsonNode node, Map<String, String> env, String path) {
    Map<String, Secret> headers = new LinkedHashMap<>();
    if (node == null) return headers;
    if (!node.isObject()) throw AgentException.config(path, node.getNodeType(), "must be an object of strings");
    for (Map.Entry<String, JsonNode> h : node.properties()) {
      if (!h.getValue().isTextual()) {
        // The value is not echoed: it may be a credential.
        throw AgentException.config(path + "." + h.getKey(), h.getValue().getNodeType(), "must be a string");
      }
      String value = substitute(h.getValue().asText(), env, path + "." + h.getKey());
      Secret secret = Secret.ofNullable(value);
      if (secret != null) headers.put(h.getKey(), secret); // a header substituted to blank is left out
    }
    return headers;
  }

  private static String substitute(String text, Map<String, String> env, String path) {
    // The error names the variable, never the text around it, which may hold a literal credential.
    return EnvSubstitution.apply(text, env, (variable, reference) -> AgentException.config(path, reference,
        "environment variable " + variable + " is not set (or blank) and has no default"));
  }

  private static String text(JsonNode entry, String path, String key, boolean required) {
    JsonNode v = entry.get(key);
    if (v == null || v.isNull()) {
      if (required) throw AgentException.config(path + "." + key, null, "is required");
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) throw AgentException.config(path + "." + key, v, "must be a non-blank string");
    return v.asText();
  }
}
