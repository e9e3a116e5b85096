package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code voice-agent emulate}: the three export lines, each URL answering its protocol, a clean stop. */
class EmulateCommandTest {

  @Test
  void printsTheThreeExportLinesWhoseUrlsAnswerAndStopsCleanly() throws Exception {
    CompletableFuture<Map<String, String>> exports = new CompletableFuture<>();
    StringWriter seen = new StringWriter();
    Writer watch = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        seen.write(buf, off, len);
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : seen.toString().split("\n")) {
          if (line.startsWith("export ") && line.contains("=")) {
            vars.put(line.substring(7, line.indexOf('=')), line.substring(line.indexOf('=') + 1).trim());
          }
        }
        if (vars.size() == 3) exports.complete(vars);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    EmulateCommand command = new EmulateCommand();
    command.installShutdownHook = false;
    CommandLine cli = VoiceAgentCommand.cli(command).setOut(new PrintWriter(watch, true))
        .setErr(new PrintWriter(new StringWriter(), true));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> exit.complete(cli.execute("--ttft-ms", "0", "--stt-final-ms", "0",
        "--tts-first-audio-ms", "0")));

    Map<String, String> vars = exports.get(60, TimeUnit.SECONDS);
    assertEquals(java.util.List.of("PULSE_BASE_URL", "ELECTRON_BASE_URL", "LIGHTNING_BASE_URL"),
        java.util.List.copyOf(vars.keySet()));
    vars.values().forEach(v -> assertTrue(v.contains("://127.0.0.1:"), v));
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(vars.get("ELECTRON_BASE_URL")
              + "/chat/completions")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"electron\",\"messages\":[{\"role\":\"user\","
              + "\"content\":\"what is the weather in paris\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, chat.statusCode(), chat.body());
      assertTrue(chat.body().contains("\"choices\""), chat.body());

      HttpResponse<byte[]> tts = http.send(HttpRequest.newBuilder(URI.create(vars.get("LIGHTNING_BASE_URL")
              .replace("ws://", "http://") + "/waves/v1/tts")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Hello.\",\"voice_id\":\"emily\","
              + "\"sample_rate\":8000}")).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, tts.statusCode());
      assertTrue(tts.body().length > 1000, "audio bytes: " + tts.body().length);

      WebSocket pulse = http.newWebSocketBuilder().buildAsync(URI.create(vars.get("PULSE_BASE_URL")
              + "/waves/v1/stt/live?model=pulse&encoding=mulaw&sample_rate=8000"), new WebSocket.Listener() {})
          .get(30, TimeUnit.SECONDS);
      pulse.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
    }

    command.shutdown();
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
  }
}
