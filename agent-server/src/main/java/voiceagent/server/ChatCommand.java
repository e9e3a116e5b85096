package voiceagent.server;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.Secret;
import voiceagent.common.VertxClock;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.ChatRequest;
import voiceagent.core.ElectronClient;
import voiceagent.core.ElectronEvent;
import voiceagent.core.config.ConfigTree;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * {@code voice-agent chat}: one conversation turn against Electron (or the built-in emulator), printed as text or as
 * JSON lines. The flags and the JSON lines are a contract other tools rely on.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Send one conversation turn to Electron and print the streamed answer.")
final class ChatCommand implements Callable<Integer> {

  @Option(names = "--base-url", paramLabel = "URL",
      description = "Electron base URL (default: electron.base_url, env ELECTRON_BASE_URL).")
  String baseUrl;

  @Option(names = "--api-key", paramLabel = "KEY", description = "API key (default: env SMALLEST_API_KEY).")
  String apiKey;

  @Option(names = "--model", paramLabel = "NAME", description = "Model (default: electron).")
  String model;

  @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
  String system;

  @Option(names = "--tool-rounds", paramLabel = "N", defaultValue = "3",
      description = "Most tool rounds in the turn; 0 reports tool calls without executing them (default: ${DEFAULT-VALUE}).")
  int toolRounds;

  @Option(names = "--max-tokens", paramLabel = "N", description = "max_tokens for each request.")
  Integer maxTokens;

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature.")
  Double temperature;

  @Option(names = "--json", description = "Print one JSON object per line on stdout (logs go to stderr).")
  boolean json;

  @Option(names = "--emulator", description = "Run against the built-in Electron emulator (offline, no key needed).")
  boolean emulator;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file overlaying the defaults.")
  Path configFile;

  @Parameters(paramLabel = "MESSAGE", description = "What the user says.")
  String message;

  @Override
  public Integer call() throws Exception {
    ChatOutput output = new ChatOutput(System.out, System.err, json);
    if (toolRounds < 0) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--tool-rounds must be 0 or more, got " + toolRounds);
    }
    Vertx vertx = Vertx.vertx();
    try {
      ElectronConfig config = electronConfig();
      if (emulator) {
        ElectronEmulator emu = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults())
            .await();
        config = config.withBaseUrl(emu.baseUrl());
      } else if (config.apiKey() == null) {
        output.error(new AgentException(ErrorKind.AUTHENTICATION, "electron",
            "no API key: set SMALLEST_API_KEY or pass --api-key (or add --emulator to run offline)"));
        return 2;
      }
      return runTurn(vertx, config, output);
    } catch (AgentException e) {
      output.error(e);
      return e.kind() == ErrorKind.CONFIG ? 2 : 1;
    } finally {
      vertx.close();
    }
  }

  private ElectronConfig electronConfig() {
    ElectronConfig c = ElectronConfig.from(ConfigTree.load(configFile, System.getenv()).section("electron"));
    if (baseUrl != null) c = c.withBaseUrl(baseUrl);
    if (apiKey != null) c = c.withApiKey(Secret.ofNullable(apiKey));
    if (model != null) c = c.withModel(model);
    return c;
  }

  private int runTurn(Vertx vertx, ElectronConfig config, ChatOutput output) throws Exception {
    ChatRequest.Builder request = ChatRequest.builder(config.model()).maxTokens(maxTokens).temperature(temperature);
    if (system != null) request.message(ChatMessage.system(system));
    request.message(ChatMessage.user(message));
    ElectronClient client = ElectronClient.create(vertx, config, VertxClock.INSTANCE);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    ToolCallOrder order = new ToolCallOrder(output);
    vertx.getOrCreateContext().runOnContext(v ->
        client.stream(request.build(), CallLog.of("call_id", "cli"), event -> {
          switch (event) {
            case ElectronEvent.TextDelta t -> output.text(t.text());
            case ElectronEvent.ToolCallReady c -> order.add(c);
            case ElectronEvent.UsageReported u -> output.usage(u.promptTokens(), u.completionTokens(), u.cachedTokens());
            case ElectronEvent.Finished f -> {
              order.flush();
              output.done(f.finishReason(), f.requestId());
              exit.complete(0);
            }
            case ElectronEvent.Failed f -> {
              order.flush();
              output.error(f.error());
              exit.complete(1);
            }
          }
        }));
    return exit.get();
  }

  /** Prints tool calls in index order even when a later call completes first. */
  private static final class ToolCallOrder {
    private final ChatOutput output;
    private final Map<Integer, ElectronEvent.ToolCallReady> waiting = new TreeMap<>();
    private int next;

    ToolCallOrder(ChatOutput output) {
      this.output = output;
    }

    void add(ElectronEvent.ToolCallReady call) {
      waiting.put(call.index(), call);
      while (waiting.containsKey(next)) print(waiting.remove(next++));
    }

    void flush() {
      waiting.values().forEach(this::print);
      waiting.clear();
    }

    private void print(ElectronEvent.ToolCallReady c) {
      output.toolCall(c.id(), c.name(), c.arguments(), c.rawArguments());
    }
  }
}
