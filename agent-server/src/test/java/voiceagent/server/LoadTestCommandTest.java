package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code voice-agent loadtest} against its own server on the emulators, and its refusals. */
class LoadTestCommandTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    LoadTestCommand command = new LoadTestCommand();
    command.env = Map.of();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = VoiceAgentCommand.cli(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void fiveCallsAgainstItsOwnServerCompleteWithoutFailureAndPrintPercentiles() {
    // 10 s: the greeting (about 4 s of speech) plays, then each caller asks at least one question.
    Run r = run("--calls", "5", "--duration", "10s", "--json", "--driver-loops", "1");
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("5 connected, 5 completed, 0 failed"), r.out());
    assertTrue(Pattern.compile("first agent audio \\(caller\\): p50 [0-9.]+ ms  p95 [0-9.]+ ms  p99 [0-9.]+ ms")
        .matcher(r.out()).find(), r.out());
    assertTrue(Pattern.compile("runtime-added p50 [0-9]+ ms  p95 [0-9]+ ms  p99 [0-9]+ ms").matcher(r.out()).find(),
        r.out());
    assertTrue(r.out().contains("frame jitter p99 "), r.out());
    assertTrue(Pattern.compile("CPU [0-9.]+% of a core = [0-9.]+% per call; heap [0-9]+ MB").matcher(r.out()).find(),
        r.out());
    assertTrue(r.out().contains("{\"step\":1,\"calls\":5,"), r.out());
    assertTrue(r.err().contains("step 1:"), "progress line on stderr: " + r.err());
  }

  @Test
  void aNonLoopbackUrlIsRefusedWithStatusTwo() {
    Run r = run("--calls", "1", "--duration", "5s", "--url", "ws://192.0.2.10:8080/twilio/stream");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("error: --url ws://192.0.2.10:8080/twilio/stream: refusing host 192.0.2.10, "
        + "loadtest only dials loopback;"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void anUnboundedOrUnsupportedRunIsRefusedWithStatusTwo() {
    assertEquals(2, run("--calls", "20000", "--duration", "5s").status());
    assertEquals(2, run("--calls", "1", "--duration", "2h").status());
    Run vonage = run("--calls", "1", "--duration", "5s", "--carrier", "vonage");
    assertEquals(2, vonage.status());
    assertTrue(vonage.err().contains("--carrier vonage"), vonage.err());
  }
}
