package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.testkit.electron.ElectronReply;

/** The {@code chat} command's contract: flags, JSON lines (keys and order), exit status. */
class ChatCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Vertx vertx;
  private static ElectronEmulator electron;
  private static String weatherUrl;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    electron = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults().withApiKey("sk_test")).await();
    HttpServer weather = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String city = new JsonObjectText(body.toString()).city();
      req.response().putHeader("Content-Type", "application/json").end("{\"city\":\"" + city + "\",\"temp_c\":18}");
    })).listen(0, "127.0.0.1").await();
    weatherUrl = "http://127.0.0.1:" + weather.actualPort() + "/weather";
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private record JsonObjectText(String text) {
    String city() {
      try {
        return JSON.readTree(text).path("city").asText();
      } catch (Exception e) {
        return "?";
      }
    }
  }

  private record Run(int status, List<JsonNode> lines, String out, String err) {}

  private static Run run(String stdin, String... args) {
    ChatRun run = ChatRun.of(stdin, args);
    return new Run(run.status(), run.lines(), run.out(), run.err());
  }

  /** The event names in order, consecutive text lines counted once (segmentation may split an answer). */
  private static List<String> events(Run run) {
    List<String> names = new ArrayList<>();
    for (JsonNode l : run.lines()) {
      String name = l.path("event").asText();
      if (!(name.equals("text") && !names.isEmpty() && names.getLast().equals("text"))) names.add(name);
    }
    return names;
  }

  private static JsonNode first(Run run, String event) {
    return run.lines().stream().filter(l -> l.path("event").asText().equals(event)).findFirst().orElseThrow();
  }

  private Path toolsFile() throws Exception {
    return ChatRun.weatherWebhook(dir.resolve("tools.yaml"), weatherUrl);
  }

  @Test
  void jsonLinesOfATurnWithAToolFollowTheContract() throws Exception {
    Run run = run("", "--json", "--base-url", electron.baseUrl(), "--api-key", "sk_test", "--tools",
        toolsFile().toString(), "What's the weather in Paris?");
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of("text", "tool_call", "usage", "tool_result", "round", "text", "usage", "round", "cost", "done"),
        events(run));
    JsonNode call = first(run, "tool_call");
    assertEquals(List.of("event", "id", "name", "arguments"), fieldNames(call));
    assertEquals("get_weather", call.get("name").asText());
    assertEquals("Paris", call.get("arguments").get("city").asText());
    JsonNode result = first(run, "tool_result");
    assertEquals(List.of("event", "id", "name", "ms", "error"), fieldNames(result));
    assertEquals(call.get("id"), result.get("id"));
    assertFalse(result.get("error").asBoolean());
    assertTrue(run.out().contains("18"), "the answer uses the tool's result");
    assertEquals(List.of("event", "prompt_tokens", "completion_tokens", "cached_tokens"), fieldNames(first(run, "usage")));
    assertTrue(first(run, "cost").get("usd").isNumber());
    JsonNode done = run.lines().getLast();
    assertEquals(List.of("event", "finish_reason", "request_id"), fieldNames(done));
    assertEquals("stop", done.get("finish_reason").asText());
    assertEquals(electron.requests().getLast().requestId(), done.get("request_id").asText());
    assertFalse(run.err().contains("sk_test"), "the key never reaches the output");
  }

  @Test
  void zeroToolRoundsReportsTheCallWithoutRunningIt() throws Exception {
    int before = electron.requests().size();
    Run run = run("", "--json", "--tool-rounds", "0", "--base-url", electron.baseUrl(), "--api-key", "sk_test",
        "--tools", toolsFile().toString(), "What's the weather in Rome?");
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of("tool_call", "usage", "round", "cost", "done"), events(run));
    assertEquals("tool_calls", run.lines().getLast().get("finish_reason").asText());
    assertEquals(before + 1, electron.requests().size(), "one request, no tool round");
  }

  @Test
  void unparseableArgumentsAreReportedRaw() throws Exception {
    electron.enqueue(ElectronReply.builder().toolCall("call_x", "get_weather", "{\"city\": Par").argumentsWhole()
        .finishReason("tool_calls").build());
    Run run = run("", "--json", "--tool-rounds", "0", "--base-url", electron.baseUrl(), "--api-key", "sk_test",
        "--tools", toolsFile().toString(), "weather");
    JsonNode call = first(run, "tool_call");
    assertTrue(call.get("arguments").isNull());
    assertEquals("{\"city\": Par", call.get("raw_arguments").asText());
  }

  @Test
  void errorsAreJsonLinesWithStatusCodeAndRequestIdAndExitNonZero() throws Exception {
    electron.enqueue(ElectronReply.status(400));
    Run run = run("", "--json", "--base-url", electron.baseUrl(), "--api-key", "sk_test", "hi");
    assertEquals(1, run.status());
    JsonNode error = first(run, "error");
    assertEquals(List.of("event", "status", "code", "message", "request_id", "retryable"), fieldNames(error));
    assertEquals(400, error.get("status").asInt());
    assertEquals(electron.requests().getLast().requestId(), error.get("request_id").asText());
    assertFalse(error.get("retryable").asBoolean());
    assertFalse(events(run).contains("done"), "done only ends a turn without error");
  }

  @Test
  void wrongKeyIsAnAuthenticationErrorAndAMissingKeyIsAUsageError() throws Exception {
    Run wrong = run("", "--json", "--base-url", electron.baseUrl(), "--api-key", "sk_wrong", "hi");
    assertEquals(1, wrong.status());
    assertEquals(401, first(wrong, "error").get("status").asInt());
    Run missing = run("", "--base-url", electron.baseUrl(), "hi");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("SMALLEST_API_KEY"), missing.err());
  }

  @Test
  void interactiveKeepsOneConversation() throws Exception {
    Run run = run("hello\nthanks\n/quit\n", "--json", "--interactive", "--emulator");
    assertEquals(0, run.status(), run.err());
    assertEquals(2, events(run).stream().filter("done"::equals).count());
    assertTrue(run.out().contains("You're welcome!"), run.out());
  }

  @Test
  void humanOutputPrintsTheAnswerAsText() throws Exception {
    Run run = run("", "--emulator", "Hello there");
    assertEquals(0, run.status(), run.err());
    // --emulator loads the weather sample's tools, so the emulator answers as the weather agent.
    assertEquals("Hello! I can help with forecast and weather questions. What would you like to know?",
        run.out().strip());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
