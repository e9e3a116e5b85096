package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import voiceagent.testkit.BlockedThreadGuard;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.testkit.electron.ElectronReply;

/**
 * {@code chat --json} at its edges: the last line of a failed turn, stream errors in the log, failed webhooks, blank
 * messages, the emulator's weather tools and its cost estimate.
 */
class ChatCommandJsonTest {
    private static Vertx vertx;
  private static ElectronEmulator electron;
  private static String webhookBase;
  @TempDir static Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() {
    vertx = BlockedThreadGuard.newVertx();
    electron = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults().withApiKey("sk_test")).await();
    HttpServer webhooks = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body ->
        req.response().setStatusCode(503).end("upstream down"))).listen(0, "127.0.0.1").await();
    webhookBase = "http://127.0.0.1:" + webhooks.actualPort();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void captureLogs() {
    logs.start();
    root().addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root().detachAppender(logs);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private ChatRun real(String message, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--json", "--base-url", electron.baseUrl(), "--api-key", "sk_test"));
    args.addAll(List.of(more));
    args.add(message);
    return ChatRun.of("", args.toArray(String[]::new));
  }

  @Test
  void aRejectedTurnPrintsItsCostThenTheErrorAsTheLastLine() throws Exception {
    electron.enqueue(ElectronReply.status(400));
    ChatRun run = real("hi");
    assertEquals(1, run.status());
    assertEquals("error", run.lines().getLast().path("event").asText(), run.out());
    assertFalse(run.events().contains("done"));
  }

  @Test
  void aStreamErrorEndsWithTheErrorLineAndIsOneWarnLogLineWithTheRequestIdAndNoStackTrace() throws Exception {
    electron.enqueue(ElectronReply.builder().text("The weather in Paris is").errorEventAfterText("overloaded").build());
    ChatRun run = real("weather?");
    assertEquals(1, run.status());
    JsonNode last = run.lines().getLast();
    assertEquals("error", last.path("event").asText(), run.out());
    String requestId = last.path("request_id").asText();
    assertFalse(requestId.isEmpty(), last.toString());
    List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    List<ILoggingEvent> streamErrors = warnings.stream().filter(e -> String.valueOf(keyValue(e, "error"))
        .contains("overloaded")).toList();
    assertEquals(1, streamErrors.size(), warnings.toString());
    assertEquals(1, warnings.size(), "one WARN line for one stream error: " + warnings);
    assertTrue(warnings.stream().allMatch(e -> requestId.equals(keyValue(e, "request_id"))), warnings.toString());
    assertTrue(logs.list.stream().allMatch(e -> e.getThrowableProxy() == null), "no stack trace in the log");
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
  }

  private static String keyValue(ILoggingEvent event, String key) {
    if (event.getKeyValuePairs() == null) return null;
    return event.getKeyValuePairs().stream().filter(kv -> kv.key.equals(key)).map(kv -> String.valueOf(kv.value))
        .findFirst().orElse(null);
  }

  private Path webhook(String url) throws Exception {
    return ChatRun.weatherWebhook(Files.createTempFile(dir, "tools", ".yaml"), url);
  }

  @Test
  void aWebhookAnsweringAnErrorStatusGivesItsReasonInTheToolResultLineAndTheLog() throws Exception {
    ChatRun run = real("What's the weather in Paris?", "--tools", webhook(webhookBase + "/weather").toString());
    assertEquals(0, run.status(), run.err());
    JsonNode result = run.first("tool_result");
    assertEquals(List.of("event", "id", "name", "ms", "error", "reason"), ChatRun.fieldNames(result));
    assertTrue(result.get("error").asBoolean());
    assertEquals("HTTP 503: upstream down", result.get("reason").asText());
    assertTrue(logs.list.stream().anyMatch(e -> e.getLevel() == Level.WARN && "get_weather".equals(keyValue(e, "tool"))
        && "503".equals(keyValue(e, "status"))), logs.list.toString());
  }

  @Test
  void aWebhookThatRefusesTheConnectionSaysSoInTheToolResultLine() throws Exception {
    ChatRun run = real("What's the weather in Paris?", "--tools", webhook("http://127.0.0.1:1/weather").toString());
    JsonNode result = run.first("tool_result");
    assertTrue(result.get("error").asBoolean());
    assertTrue(result.get("reason").asText().contains("Connection refused"), result.toString());
  }

  @Test
  void aSuccessfulToolResultKeepsItsKeys() throws Exception {
    ChatRun run = ChatRun.of("", "--json", "--emulator", "What's the weather in Paris?");
    assertEquals(List.of("event", "id", "name", "ms", "error"), ChatRun.fieldNames(run.first("tool_result")));
  }

  @Test
  void blankMessageIsRefusedAndNeverSent() throws Exception {
    int before = electron.requests().size();
    ChatRun run = real(" \t ");
    assertEquals(2, run.status());
    assertEquals("error: MESSAGE: is empty; give what the user says, e.g. chat \"Hello\"", run.err().strip());
    assertEquals(before, electron.requests().size(), "nothing was sent");
  }

  @Test
  void interactiveSkipsBlankLines() throws Exception {
    ChatRun run = ChatRun.of("first\n   \n\n\t\nsecond\n", "--json", "--interactive", "--emulator");
    assertEquals(0, run.status(), run.err());
    assertEquals(List.of("text", "usage", "round", "cost", "done", "text", "usage", "round", "cost", "done"),
        run.events());
  }

  @Test
  void theEmulatorRunsTheReadmeWeatherExampleWithItsCostLabelledAnEstimate() throws Exception {
    ChatRun run = ChatRun.of("", "--json", "--emulator", "What's the weather in Paris?");
    assertEquals(0, run.status(), run.err());
    List<String> events = run.events();
    // The tool starts the moment its arguments are complete, so its result may come before or after the usage line.
    int result = events.indexOf("tool_result");
    assertTrue(result > events.indexOf("tool_call") && result < events.indexOf("round"), events.toString());
    List<String> withoutResult = new ArrayList<>(events);
    withoutResult.remove("tool_result");
    assertEquals(List.of("text", "tool_call", "usage", "round", "text", "usage", "round", "cost", "done"),
        withoutResult);
    JsonNode call = run.first("tool_call");
    assertEquals("get_weather", call.get("name").asText());
    assertEquals("Paris", call.get("arguments").get("city").asText());
    assertFalse(run.first("tool_result").get("error").asBoolean());
    JsonNode cost = run.first("cost");
    assertEquals(List.of("event", "usd", "estimate"), ChatRun.fieldNames(cost));
    assertEquals("emulator", cost.get("estimate").asText());

    ChatRun text = ChatRun.of("", "--emulator", "What's the weather in Paris?");
    assertTrue(text.err().lines().anyMatch(l -> l.matches("cost: \\$0\\.\\d+ \\(emulator estimate\\)")), text.err());
  }

  @Test
  void aRealServiceCostIsNotAnEstimate() throws Exception {
    ChatRun run = real("hello");
    assertNull(run.first("cost").get("estimate"));
  }
}
