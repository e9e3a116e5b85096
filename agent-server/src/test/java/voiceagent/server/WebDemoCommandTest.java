package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code voice-agent demo} as the web demo: the one ready line, the offline notice, the port errors, a clean stop. */
class WebDemoCommandTest {
  private static final Pattern READY = Pattern.compile("demo ready at http://127\\.0\\.0\\.1:(\\d+)/\n");

  /** Collects what is written and completes {@link #firstLine} when the first line ends. */
  private static final class LineWriter extends Writer {
    final StringBuffer text = new StringBuffer();
    final CompletableFuture<String> firstLine = new CompletableFuture<>();

    @Override
    public void write(char[] buf, int off, int len) {
      text.append(buf, off, len);
      int nl = text.indexOf("\n");
      if (nl >= 0) firstLine.complete(text.substring(0, nl + 1));
    }

    @Override public void flush() { }
    @Override public void close() { }
  }

  private record Started(DemoCommand command, CompletableFuture<Integer> status, LineWriter out, StringWriter err) {}

  private static Started start(Map<String, String> env, String... args) {
    DemoCommand command = new DemoCommand();
    command.env = env;
    LineWriter out = new LineWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cli.execute(args));
    status.whenComplete((s, e) -> out.firstLine.complete("")); // a failed start ends the wait for the line too
    return new Started(command, status, out, err);
  }

  @Test
  void servesThePageAndPrintsExactlyOneReadyLineThenStopsCleanly() throws Exception {
    Started demo = start(Map.of(), "--port", "0");
    String line = demo.out().firstLine.get(60, TimeUnit.SECONDS);
    Matcher ready = READY.matcher(line);
    assertTrue(ready.matches(), "stdout: " + line + " stderr: " + demo.err());
    String base = "http://127.0.0.1:" + ready.group(1) + "/";
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("data-testid=\"talk\""), page.body());
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "status")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(status.body().contains("\"mode\":\"emulator\""), status.body());
    }
    demo.command().stop.complete(null);
    assertEquals(0, demo.status().get(60, TimeUnit.SECONDS), demo.err().toString());
    assertEquals(line, demo.out().text.toString(), "nothing but the ready line on stdout");
    assertTrue(demo.err().toString().contains("demo: SMALLEST_API_KEY is not set; running offline on the built-in "
        + "Pulse, Electron and Lightning emulators"), demo.err().toString());
    assertTrue(demo.err().toString().contains("demo: stopped"), demo.err().toString());
  }

  @Test
  void emulatorFlagRunsOfflineEvenWithAKey() throws Exception {
    Started demo = start(Map.of("SMALLEST_API_KEY", "sk-test"), "--port", "0", "--emulator");
    assertTrue(READY.matcher(demo.out().firstLine.get(60, TimeUnit.SECONDS)).matches(), demo.err().toString());
    demo.command().stop.complete(null);
    assertEquals(0, demo.status().get(60, TimeUnit.SECONDS));
    assertTrue(demo.err().toString().contains("demo: --emulator given; running offline"), demo.err().toString());
    assertTrue(!demo.err().toString().contains("sk-test"), "the key is never printed");
  }

  @Test
  void aBusyPortIsAnErrorNamingThePortFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Started demo = start(Map.of(), "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(2, demo.status().get(60, TimeUnit.SECONDS), demo.err().toString());
      assertEquals("", demo.out().text.toString());
      assertTrue(demo.err().toString().contains("error: port " + taken.getLocalPort() + " on 127.0.0.1 is already in "
          + "use: choose another with --port"), demo.err().toString());
    }
  }

  @Test
  void aPortOutOfRangeIsAnErrorNamingTheFlagAndTheValue() throws Exception {
    Started demo = start(Map.of(), "--port", "70000");
    assertEquals(2, demo.status().get(60, TimeUnit.SECONDS));
    assertTrue(demo.err().toString().contains("error: --port 70000 is not a port: expected 0 to 65535"),
        demo.err().toString());
  }
}
