package voiceagent.core.config;

import voiceagent.common.config.ConfigTree;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import voiceagent.common.AgentException;
import voiceagent.core.Prices;

/**
 * The versioned Electron price table of {@code prices.yaml}: {@code current} names the version in force, and
 * {@code versions} maps each name to {@code input_per_million}, {@code cached_input_per_million} and
 * {@code output_per_million} (US dollars). Prices are kept as written ({@link BigDecimal}, never via {@code double}).
 * Errors name the key as {@code prices.<path>} and the value.
 *
 * <p>Thread contract: immutable; shared by all calls.
 */
public final class PriceTable {
  private static final String RESOURCE = "prices.yaml";
  private static final String[] FIELDS = {"input_per_million", "cached_input_per_million", "output_per_million"};

  private final Prices current;
  private final Map<String, Prices> versions; // insertion order of the file

  private PriceTable(Prices current, Map<String, Prices> versions) {
    this.current = current;
    this.versions = versions;
  }

  /** Reads a tree shaped like {@code prices.yaml}. */
  public static PriceTable load(ConfigTree prices) {
    ConfigTree section = prices.section("versions");
    if (!section.node().isObject() || section.node().isEmpty()) {
      throw AgentException.config("prices.versions", section.node(), "at least one version is required");
    }
    Map<String, Prices> versions = new LinkedHashMap<>();
    for (Iterator<String> names = section.node().fieldNames(); names.hasNext(); ) {
      String name = names.next();
      versions.put(name, version(name, section.section(name)));
    }
    String currentName = prices.string("current", null);
    Prices current = versions.get(currentName);
    if (current == null) {
      throw AgentException.config("prices.current", currentName, "no such version (have: "
          + String.join(", ", versions.keySet()) + ")");
    }
    return new PriceTable(current, Collections.unmodifiableMap(versions));
  }

  /**
   * Reads {@code prices.yaml} from the class path (the config module ships it), substituting variables from the
   * process environment; a table of {@link Prices#LAUNCH_2026_05} alone when the file is absent.
   */
  public static PriceTable fromClasspath() {
    try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return new PriceTable(Prices.LAUNCH_2026_05, Map.of(Prices.LAUNCH_2026_05.version(), Prices.LAUNCH_2026_05));
      }
      // Decimal nodes keep the prices digit for digit as written; a double keeps about 16 significant digits.
      JsonNode node = new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(in);
      return load(ConfigTree.of(node, System.getenv()));
    } catch (IOException e) {
      throw AgentException.config(RESOURCE, "(class path)", "unreadable: " + e.getMessage());
    }
  }

  /** The version in force. */
  public Prices current() {
    return current;
  }

  /** The prices of version {@code name}, e.g. to recompute an old report. */
  public Prices version(String name) {
    Prices p = versions.get(name);
    if (p == null) {
      throw AgentException.config("prices.versions", name, "no such version (have: "
          + String.join(", ", versions.keySet()) + ")");
    }
    return p;
  }

  /** The version names, in file order. */
  public Set<String> versions() {
    return versions.keySet();
  }

  private static Prices version(String name, ConfigTree entry) {
    String path = "prices.versions." + name;
    if (!entry.node().isObject()) throw AgentException.config(path, entry.node(), "expected a mapping of prices");
    BigDecimal[] values = new BigDecimal[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) {
      String key = path + "." + FIELDS[i];
      String text = entry.string(FIELDS[i], null);
      if (text == null) throw AgentException.config(key, null, "required");
      try {
        values[i] = new BigDecimal(text.strip());
      } catch (NumberFormatException e) {
        throw AgentException.config(key, text, "not a number");
      }
      if (values[i].signum() < 0) throw AgentException.config(key, text, "must not be negative");
    }
    return new Prices(name, values[0], values[1], values[2]);
  }
}
