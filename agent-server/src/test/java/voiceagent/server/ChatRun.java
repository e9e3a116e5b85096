package voiceagent.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One in-process run of {@code chat} without a key in its environment, its JSON lines parsed with {@code --json}. */
record ChatRun(int status, List<JsonNode> lines, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code chat args}, reading {@code stdin} for {@code --interactive}. */
  static ChatRun of(String stdin, String... args) {
    ChatCommand command = new ChatCommand();
    command.env = Map.of();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CommandRun run = CommandRun.of(command, args);
    List<JsonNode> lines = new ArrayList<>();
    if (List.of(args).contains("--json")) {
      for (String line : run.out().lines().toList()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new UncheckedIOException("not a JSON line: " + line, e);
        }
      }
    }
    return new ChatRun(run.status(), lines, run.out(), run.err());
  }

  /** The event names in order, consecutive text lines counted once (segmentation may split an answer). */
  List<String> events() {
    List<String> names = new ArrayList<>();
    for (JsonNode l : lines) {
      String name = l.path("event").asText();
      if (!(name.equals("text") && !names.isEmpty() && names.getLast().equals("text"))) names.add(name);
    }
    return names;
  }

  /** The first line of {@code event}. */
  JsonNode first(String event) {
    return lines.stream().filter(l -> l.path("event").asText().equals(event)).findFirst().orElseThrow();
  }

  /** The keys of a line, in order. */
  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Writes to {@code file} a {@code --tools} file declaring {@code get_weather} as a webhook at {@code url}. */
  static Path weatherWebhook(Path file, String url) throws IOException {
    return Files.writeString(file, """
        - name: get_weather
          description: Current weather for a city.
          parameters:
            type: object
            properties:
              city: {type: string, description: City name.}
            required: [city]
          url: %s
          timeout_ms: 2000
        """.formatted(url));
  }
}
