package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.VertxClock;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.ManualClock;

class WebhookToolsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static Vertx vertx;
  private static HttpServer server;
  private static Context context;
  private static ToolExecutor executor;

  /** What the server received: path, headers and body of each request. */
  record Received(String path, MultiMap headers, String body) {}

  private static final BlockingQueue<Received> received = new ArrayBlockingQueue<>(16);
  private static final BlockingQueue<String> closed = new ArrayBlockingQueue<>(16);

  @BeforeAll
  static void start() throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(request.path(), request.headers(), body.toString()));
      switch (request.path()) {
        case "/weather" -> request.response().end("Sunny, 21 C in " + parse(body.toString()).path("city").asText());
        case "/fail" -> request.response().setStatusCode(500).end("<html>  internal\n  failure </html>");
        case "/slow" -> request.connection().closeHandler(v -> closed.add("/slow")); // never answers
        default -> request.response().setStatusCode(404).end();
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    context = vertx.getOrCreateContext();
    executor = new ToolExecutor(VertxClock.INSTANCE);
  }

  @AfterAll
  static void stop() throws Exception {
    executor.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clear() {
    received.clear();
    closed.clear();
  }

  private static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String declaration(String name, String path, String extra) {
    return "[{\"name\":\"" + name + "\",\"description\":\"Calls " + path + ".\",\"url\":\"http://127.0.0.1:${PORT}"
        + path + "\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
        + "\"required\":[\"city\"]}" + extra + "}]";
  }

  private static Map<String, String> env() {
    return Map.of("PORT", String.valueOf(server.actualPort()), "WEATHER_KEY", "k-123");
  }

  private static Tool tool(String json) {
    List<Tool> tools = WebhookTools.fromJson(parse(json), vertx, env());
    assertEquals(1, tools.size());
    return tools.get(0);
  }

  private static ToolResult run(Tool tool, String arguments) throws Exception {
    CompletableFuture<ToolResult> done = new CompletableFuture<>();
    Future<ToolResult> future = executor.execute(ToolCall.of("c1", tool.name(), arguments), tool, context);
    future.onComplete(ar -> done.complete(ar.result()));
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void successBodyIsTheResultAndHeadersArriveSubstituted() throws Exception {
    Tool tool = tool(declaration("weather", "/weather",
        ",\"headers\":{\"Authorization\":\"Bearer ${WEATHER_KEY}\",\"X-Region\":\"${REGION:eu}\"}"));

    ToolResult r = run(tool, "{\"city\":\"Oslo\"}");

    assertFalse(r.error(), r.content());
    assertEquals("Sunny, 21 C in Oslo", r.content());
    Received request = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(request);
    assertEquals("/weather", request.path());
    assertEquals("Bearer k-123", request.headers().get("Authorization"));
    assertEquals("eu", request.headers().get("X-Region"));
    assertEquals("application/json", request.headers().get("Content-Type"));
    assertEquals(parse("{\"city\":\"Oslo\"}"), parse(request.body()));
    assertTrue(tool.sideEffects(), "a webhook has side effects unless declared otherwise");
  }

  @Test
  void serverErrorBecomesAnErrorResultWithStatusAndExcerpt() throws Exception {
    ToolResult r = run(tool(declaration("failing", "/fail", "")), "{\"city\":\"Oslo\"}");
    assertTrue(r.error());
    assertEquals("{\"error\":\"HTTP 500: <html> internal failure </html>\"}", r.content());
  }

  @Test
  void slowServerTimesOutAndTheRequestIsReset() throws Exception {
    // A timeout far beyond the test's run: only the manual clock can end the call, never the wall clock.
    Tool tool = tool(declaration("slow", "/slow", ",\"timeout_ms\":600000"));
    assertEquals(Duration.ofMinutes(10), tool.timeout());
    ManualClock clock = new ManualClock();
    try (ToolExecutor slowExecutor = new ToolExecutor(clock)) {
      CompletableFuture<ToolResult> done = new CompletableFuture<>();
      slowExecutor.execute(ToolCall.of("c1", "slow", "{\"city\":\"Oslo\"}"), tool, context)
          .onComplete(ar -> done.complete(ar.result()));
      assertEquals("/slow", received.poll(5, TimeUnit.SECONDS).path(), "the request reached the server");
      clock.awaitScheduled(600_000, 5_000);
      clock.advance(600_000);
      ToolResult r = done.get(10, TimeUnit.SECONDS);

      assertTrue(r.error());
      assertEquals("{\"error\":\"timed out after 600000 ms\"}", r.content());
      assertEquals("/slow", closed.poll(5, TimeUnit.SECONDS), "the cancelled request's connection is closed");
    }
  }

  @Test
  void invalidArgumentsNeverReachTheServer() throws Exception {
    ToolResult r = run(tool(declaration("weather", "/weather", "")), "{\"town\":\"Oslo\"}");
    assertTrue(r.error());
    assertTrue(r.content().contains("city"), r.content());
    assertTrue(received.isEmpty());
  }

  @Test
  void missingEnvironmentVariableIsAConfigErrorNamingToolHeaderAndVariable() {
    String json = declaration("weather", "/weather", ",\"headers\":{\"Authorization\":\"Bearer ${MISSING_KEY}\"}");
    AgentException e = assertThrows(AgentException.class, () -> WebhookTools.fromJson(parse(json), vertx, env()));
    assertEquals(ErrorKind.CONFIG, e.kind());
    assertEquals("tools.weather.headers.Authorization=${MISSING_KEY}: environment variable MISSING_KEY is not set"
        + " (or blank) and has no default", e.getMessage());
  }

  @Test
  void badDeclarationsNameTheField() {
    AgentException unknownKey = assertThrows(AgentException.class,
        () -> WebhookTools.fromJson(parse(declaration("w", "/weather", ",\"timeout\":5")), vertx, env()));
    assertTrue(unknownKey.getMessage().startsWith("tools.w.timeout=5: unknown key"), unknownKey.getMessage());
    AgentException badTimeout = assertThrows(AgentException.class,
        () -> WebhookTools.fromJson(parse(declaration("w", "/weather", ",\"timeout_ms\":-1")), vertx, env()));
    assertTrue(badTimeout.getMessage().startsWith("tools.w.timeout_ms=-1"), badTimeout.getMessage());
    AgentException noUrl = assertThrows(AgentException.class,
        () -> WebhookTools.fromJson(parse("[{\"name\":\"w\",\"description\":\"W.\"}]"), vertx, env()));
    assertTrue(noUrl.getMessage().startsWith("tools.w.url=null: is required"), noUrl.getMessage());
    AgentException notList = assertThrows(AgentException.class,
        () -> WebhookTools.fromJson(parse("{}"), vertx, env()));
    assertTrue(notList.getMessage().startsWith("tools=OBJECT"), notList.getMessage());
  }

  @Test
  void yamlAndJsonFilesOfTheSameShapeGiveTheSameTools(@TempDir Path dir) throws Exception {
    Path json = Files.writeString(dir.resolve("tools.json"), """
        [{"name": "weather", "description": "Gets the weather.", "url": "http://127.0.0.1:${PORT}/weather",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
          "headers": {"Authorization": "Bearer ${WEATHER_KEY}"}, "timeout_ms": 3000}]
        """);
    Path yaml = Files.writeString(dir.resolve("tools.yaml"), """
        - name: weather
          description: Gets the weather.
          url: http://127.0.0.1:${PORT}/weather
          parameters:
            type: object
            properties:
              city: {type: string}
            required: [city]
          headers:
            Authorization: Bearer ${WEATHER_KEY}
          timeout_ms: 3000
        """);

    List<Tool> fromJson = WebhookTools.load(json, vertx, env());
    List<Tool> fromYaml = WebhookTools.load(yaml, vertx, env());

    assertEquals(ToolRegistry.of(fromJson).catalogJson(), ToolRegistry.of(fromYaml).catalogJson());
    assertEquals(Duration.ofSeconds(3), fromYaml.get(0).timeout());
    assertEquals("Sunny, 21 C in Rome", run(fromYaml.get(0), "{\"city\":\"Rome\"}").content());
    assertEquals("Bearer k-123", received.poll(5, TimeUnit.SECONDS).headers().get("Authorization"));
  }
}
