package voiceagent.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import voiceagent.common.AgentException;
import voiceagent.tools.internal.dispatch.Json;
import voiceagent.tools.internal.schema.CanonicalJson;

/**
 * The tools of an agent, in registration order, and their catalog: the OpenAI {@code tools} array
 * {@code [{"type":"function","function":{"name","description","parameters"}}]} serialized once, canonically (keys
 * sorted at every depth, no whitespace). The catalog sits in the prompt prefix that Electron caches, so it must be
 * byte-identical on every request: build the registry once per agent and reuse it.
 *
 * <p>An empty registry has the catalog {@code []}; Electron rejects {@code "tools": []}, so callers check
 * {@link #isEmpty()} and omit the field.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public final class ToolRegistry {
  /** Electron accepts at most 64 tools per request (protocol reference, request parameters). */
  public static final int MAX_TOOLS = 64;

  private final Map<String, Tool> byName;
  private final List<Tool> tools;
  private final ArrayNode catalog; // never handed out: callers get copies
  private final String catalogJson;
  private final byte[] catalogBytes; // never handed out: callers get copies

  private ToolRegistry(List<Tool> tools) {
    Map<String, Tool> map = new LinkedHashMap<>();
    for (Tool tool : tools) {
      if (map.putIfAbsent(tool.name(), tool) != null) {
        throw AgentException.config("tools", tool.name(), "duplicate tool name");
      }
    }
    if (map.size() > MAX_TOOLS) {
      throw AgentException.config("tools", map.size() + " tools", "Electron accepts at most " + MAX_TOOLS);
    }
    this.byName = map;
    this.tools = List.copyOf(map.values());
    this.catalog = Json.MAPPER.createArrayNode();
    for (Tool tool : this.tools) catalog.add(entry(tool));
    this.catalogJson = CanonicalJson.write(catalog);
    this.catalogBytes = catalogJson.getBytes(StandardCharsets.UTF_8);
  }

  /** A registry of {@code tools} in the given order; fails naming a duplicate name. */
  public static ToolRegistry of(Collection<Tool> tools) {
    return new ToolRegistry(new ArrayList<>(tools));
  }

  /** A registry of {@code tools} in the given order; fails naming a duplicate name. */
  public static ToolRegistry of(Tool... tools) {
    return new ToolRegistry(Arrays.asList(tools));
  }

  /** The catalog entry of one tool: {@code {"type":"function","function":{...}}}. */
  static ObjectNode entry(Tool tool) {
    ObjectNode entry = Json.MAPPER.createObjectNode().put("type", "function");
    entry.putObject("function")
        .put("name", tool.name())
        .put("description", tool.description())
        .set("parameters", tool.schema().deepCopy());
    return entry;
  }

  /** The tools in registration order. */
  public List<Tool> tools() {
    return tools;
  }

  /** The tool called {@code name}, if any. */
  public Optional<Tool> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public boolean isEmpty() {
    return tools.isEmpty();
  }

  /** The canonical catalog text; the same string instance on every call. */
  public String catalogJson() {
    return catalogJson;
  }

  /** The canonical catalog as UTF-8, a fresh copy of the cached bytes on every call. */
  public byte[] catalogBytes() {
    return catalogBytes.clone();
  }

  /**
   * The catalog as a tree for embedding in a request body: a deep copy on every call, so a caller that changes it
   * cannot change the cached catalog. A request written with sorted keys reproduces {@link #catalogJson()} exactly.
   */
  public ArrayNode catalog() {
    return catalog.deepCopy();
  }
}
