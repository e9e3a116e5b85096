package voiceagent.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import voiceagent.common.AgentException;

/**
 * The configuration as loaded: {@code voice-agent.yaml} defaults from the class path, overlaid by the operator's file,
 * with {@code ${NAME}} and {@code ${NAME:default}} replaced from the environment ({@link EnvSubstitution}: a blank
 * variable counts as unset). Typed getters name the dotted path and the offending value when something is wrong.
 *
 * <p>Thread contract: immutable after loading.
 */
public final class ConfigTree {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode root;
  private final String prefix;

  private ConfigTree(JsonNode root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  /**
   * Loads the class-path defaults, then {@code file} if given, substituting variables from {@code env}. Every key of
   * {@code file} must be a key of the defaults (or lie in a section whose keys are the operator's own, such as
   * {@code prices}): a misspelt key is an error naming it and the nearest known key, not a setting silently ignored.
   */
  public static ConfigTree load(Path file, Map<String, String> env) {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    try (InputStream in = ConfigTree.class.getClassLoader().getResourceAsStream("voice-agent.yaml")) {
      if (in != null) merge(merged, YAML.readTree(in));
    } catch (IOException e) {
      throw AgentException.config("voice-agent.yaml", "(class path)", "unreadable: " + e.getMessage());
    }
    if (file != null) {
      if (!Files.isRegularFile(file)) throw AgentException.config("config file", file, "not found");
      JsonNode overlay;
      try {
        overlay = YAML.readTree(file.toFile());
      } catch (IOException e) {
        throw AgentException.config("config file", file, "not valid YAML or JSON: " + e.getMessage());
      }
      if (!merged.isEmpty()) ConfigKeys.check(merged, overlay, file);
      merge(merged, overlay);
    }
    return new ConfigTree(substitute(merged, env, ""), "");
  }

  /** A tree over {@code node} (tests, embedding). */
  public static ConfigTree of(JsonNode node, Map<String, String> env) {
    return new ConfigTree(substitute(node.deepCopy(), env, ""), "");
  }

  /** The subtree at {@code key} (empty when absent). */
  public ConfigTree section(String key) {
    JsonNode child = root.get(key);
    return new ConfigTree(child == null || child.isNull() ? JsonNodeFactory.instance.objectNode() : child,
        path(key));
  }

  public boolean has(String key) {
    JsonNode v = root.get(key);
    return v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty());
  }

  public JsonNode node() {
    return root;
  }

  public String string(String key, String fallback) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) return fallback;
    if (v.isContainerNode()) throw AgentException.config(path(key), v, "expected a text value");
    String s = v.asText();
    return s.isEmpty() ? fallback : s;
  }

  public int integer(String key, int fallback) {
    return (int) number(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  public long longValue(String key, long fallback) {
    return number(key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public double decimal(String key, double fallback) {
    String s = string(key, null);
    if (s == null) return fallback;
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw AgentException.config(path(key), s, "not a number");
    }
  }

  public boolean bool(String key, boolean fallback) {
    String s = string(key, null);
    if (s == null) return fallback;
    return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw AgentException.config(path(key), s, "expected true or false");
    };
  }

  private long number(String key, long fallback, long min, long max) {
    String s = string(key, null);
    if (s == null) return fallback;
    try {
      long v = Long.parseLong(s.strip());
      if (v < min || v > max) throw AgentException.config(path(key), s, "out of range");
      return v;
    } catch (NumberFormatException e) {
      throw AgentException.config(path(key), s, "not a whole number");
    }
  }

  private String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  private static void merge(ObjectNode target, JsonNode overlay) {
    if (overlay == null || !overlay.isObject()) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
      else target.set(e.getKey(), e.getValue().deepCopy());
    }
  }

  private static JsonNode substitute(JsonNode node, Map<String, String> env, String path) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(substitute(e.getValue(), env, path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
      }
      return o;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, substitute(node.get(i), env, path + "[" + i + "]"));
      }
      return node;
    }
    if (!node.isTextual() || !EnvSubstitution.hasVariables(node.asText())) return node;
    String text = node.asText();
    // The error shows the reference, never the text around it, which may hold a literal credential.
    return TextNode.valueOf(EnvSubstitution.apply(text, env, (variable, reference) -> AgentException.config(path,
        reference, "environment variable " + variable + " is not set (or blank) and has no default")));
  }
}
