package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each module's API is its {@code voiceagent.<name>} packages; everything under {@code ...internal...} is private to
 * its module. Until module descriptors enforce it, this test does: no main source imports another module's internals
 * (benchmarks excepted: they measure internals on purpose).
 */
class ModuleBoundaryTest {
  private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import (?:static )?voiceagent\\.([a-z]+)\\.internal\\.",
      Pattern.MULTILINE);
  /** Module folder → its root package segment. */
  private static final Map<String, String> MODULES = Map.of("agent-common", "common", "agent-audio", "audio",
      "agent-tools", "tools", "agent-testkit", "testkit", "agent-core", "core", "samples", "samples",
      "agent-server", "server");

  @Test
  void noModuleImportsAnotherModulesInternals() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (Map.Entry<String, String> module : MODULES.entrySet()) {
      Path sources = root.resolve(module.getKey()).resolve("src/main/java");
      if (!Files.isDirectory(sources)) continue;
      try (Stream<Path> walk = Files.walk(sources)) {
        for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
          files++;
          Matcher m = INTERNAL_IMPORT.matcher(Files.readString(file));
          while (m.find()) {
            if (!m.group(1).equals(module.getValue())) violations.add(root.relativize(file) + " imports " + m.group());
          }
        }
      }
    }
    assertTrue(files > 100, "the sources were found (" + files + " files)");
    assertEquals(List.of(), violations);
  }
}
