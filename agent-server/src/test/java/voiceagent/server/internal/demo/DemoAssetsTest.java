package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The page's files: every one shipped is served, with a type browsers accept for it, and nothing else is. */
class DemoAssetsTest {

  @Test
  void everyFileOfThePageIsServedAndListed() throws IOException {
    List<String> shipped;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/demo"))) {
      shipped = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(shipped, DemoAssets.FILES.stream().sorted().toList());
    DemoAssets assets = DemoAssets.load();
    for (String file : shipped) assertNotNull(assets.get("/" + file), file);
    assertEquals("text/html; charset=utf-8", assets.get("/").contentType());
    // Module scripts and worklets load only with a JavaScript type.
    assertEquals("text/javascript; charset=utf-8", assets.get("/capture-worklet.js").contentType());
  }

  @Test
  void pathsOutsideThePageAreNotServed() {
    DemoAssets assets = DemoAssets.load();
    assertNull(assets.get("/../voice-agent.yaml"));
    assertNull(assets.get("/logback.xml"));
    assertNull(assets.get("/demo/index.html"));
  }
}
