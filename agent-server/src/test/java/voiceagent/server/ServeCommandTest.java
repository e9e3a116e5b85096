package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code serve} contract: refusals without credentials or key, the --no-auth warning, the ready line, shutdown. */
class ServeCommandTest {

  private record Run(int status, String out, String err) {}

  /** The command line of a serve command reading {@code env}, printing to {@code out} and {@code err}, no hook. */
  private static CommandLine serve(Map<String, String> env, Writer out, Writer err) {
    ServeCommand command = new ServeCommand();
    command.env = env;
    command.installShutdownHook = false;
    return VoiceAgentCommand.cli(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
  }

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = serve(env, out, err).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void refusesToStartWithoutCarrierCredentialsNamingTwilioFirst() {
    for (String[] args : new String[][] {{"--emulator", "--port", "0"}, {"--port", "0"}}) {
      Run r = run(Map.of(), args);
      assertEquals(2, r.status(), r.err());
      assertTrue(r.err().startsWith("error: carrier credentials: TWILIO_AUTH_TOKEN, TELNYX_STREAM_SECRET, "
          + "PLIVO_STREAM_SECRET, VONAGE_STREAM_SECRET, EXOTEL_STREAM_SECRET are all unset; set at least "
          + "TWILIO_AUTH_TOKEN"), r.err());
      assertTrue(r.err().contains("--no-auth"), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void refusesTheRealUpstreamsWithoutAKey() {
    Run r = run(Map.of("TWILIO_AUTH_TOKEN", "t"), "--port", "0");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().startsWith("error: SMALLEST_API_KEY: not set, and ELECTRON_BASE_URL is "), r.err());
    assertTrue(r.err().contains("--emulator"), r.err());
  }

  @Test
  void badPortIsBadInput() {
    Run r = run(Map.of("TWILIO_AUTH_TOKEN", "t"), "--emulator", "--port", "70000");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().startsWith("error: --port 70000: expected 0..65535; correct --port"), r.err());
  }

  @Test
  void aTakenPortIsARuntimeFailure() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Run r = run(Map.of("VOICE_AGENT_HOST", "127.0.0.1"), "--emulator", "--no-auth", "--port",
          Integer.toString(taken.getLocalPort()));
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().contains("error: port " + taken.getLocalPort() + ": the server cannot listen ("), r.err());
      assertTrue(r.err().contains("; free the port or pass another --port"), r.err());
    }
  }

  @Test
  void noAuthWarnsLoudlyPrintsTheReadyLineServesHealthAndShutsDownCleanly() throws Exception {
    Lines out = new Lines();
    StringWriter err = new StringWriter();
    CommandLine cli = serve(Map.of("VOICE_AGENT_HOST", "127.0.0.1"), out, err);
    ServeCommand command = cli.getCommand();
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
        () -> cli.execute("--emulator", "--no-auth", "--port", "0"));
    String ready = out.lines.poll(60, TimeUnit.SECONDS);
    assertNotNull(ready, "no ready line; stderr: " + err);
    Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(ready);
    assertTrue(m.matches(), ready);
    assertTrue(err.toString().contains("WARNING: --no-auth: carrier webhooks and media streams are NOT authenticated"),
        err.toString());
    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + m.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"mode\":\"emulator\""), health.body());
    command.shutdown();
    assertEquals(0, status.get(30, TimeUnit.SECONDS));
  }

  /** A writer that hands each completed line to a queue. */
  private static final class Lines extends Writer {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder current = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          lines.add(current.toString());
          current.setLength(0);
        } else if (buf[i] != '\r') {
          current.append(buf[i]);
        }
      }
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  }
}
