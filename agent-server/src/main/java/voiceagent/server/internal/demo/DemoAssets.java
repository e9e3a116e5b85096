package voiceagent.server.internal.demo;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo page's files, read once from the class path ({@code demo/…} in the jar) so the page works offline and the
 * event loop never reads a file. Only the files named here are served: a request cannot reach anything else.
 *
 * <p>Thread contract: immutable after construction.
 */
public final class DemoAssets {
  /** Every file of the page; a test checks this list against {@code src/main/resources/demo}. */
  static final List<String> FILES =
      List.of("index.html", "style.css", "app.js", "view.js", "audio.js", "capture-worklet.js");

  private final Map<String, Asset> byPath = new LinkedHashMap<>();

  /** One file: its bytes (never written after loading: every response sends the same buffer) and content type. */
  public record Asset(Buffer body, String contentType) {}

  private DemoAssets() {}

  /** Reads the page's files from the class path; a missing one is a packaging fault and fails at once. */
  public static DemoAssets load() {
    DemoAssets assets = new DemoAssets();
    for (String file : FILES) {
      try (InputStream in = DemoAssets.class.getClassLoader().getResourceAsStream("demo/" + file)) {
        if (in == null) throw new IllegalStateException("demo/" + file + " is missing from the class path");
        assets.byPath.put("/" + file, new Asset(Buffer.buffer(in.readAllBytes()), contentType(file)));
      } catch (IOException e) {
        throw new UncheckedIOException("reading demo/" + file, e);
      }
    }
    assets.byPath.put("/", assets.byPath.get("/index.html"));
    return assets;
  }

  /** The file at a request path ({@code /} is the page), or null. */
  public Asset get(String path) {
    return byPath.get(path);
  }

  private static String contentType(String file) {
    String ext = file.substring(file.lastIndexOf('.') + 1);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8"; // module scripts and worklets are refused under other types
      default -> throw new IllegalArgumentException("no content type for " + file);
    };
  }
}
