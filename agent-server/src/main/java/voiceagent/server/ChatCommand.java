package voiceagent.server;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.Secret;
import voiceagent.core.Agent;
import voiceagent.core.AgentConfig;
import voiceagent.core.Conversation;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.config.PriceTable;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.tools.ToolRegistry;
import voiceagent.tools.WebhookTools;

/**
 * {@code voice-agent chat}: conversation turns against Electron (or the built-in emulator) through the turn engine,
 * printed as text or as JSON lines. The flags and the JSON lines are a contract other tools rely on.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Send a conversation turn to Electron, run its tools, and print the streamed answer.")
final class ChatCommand implements Callable<Integer> {
  static final String DEFAULT_SYSTEM = "You are a helpful voice assistant. Answer in one or two short sentences.";

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
      description = "Most tool rounds in a turn; 0 reports tool calls without executing them (default: ${DEFAULT-VALUE}).")
  int toolRounds;

  @Option(names = "--tools", paramLabel = "FILE",
      description = "Webhook tools: a JSON or YAML list of {name, description, parameters, url, headers?, timeout_ms?}.")
  Path toolsFile;

  @Option(names = "--max-tokens", paramLabel = "N", description = "max_tokens for each request.")
  Integer maxTokens;

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature.")
  Double temperature;

  @Option(names = "--json", description = "Print one JSON object per line on stdout (logs go to stderr).")
  boolean json;

  @Option(names = "--interactive", description = "Keep the conversation going: read one message per line from stdin.")
  boolean interactive;

  @Option(names = "--emulator", description = "Run against the built-in Electron emulator (offline, no key needed).")
  boolean emulator;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file overlaying the defaults.")
  Path configFile;

  @Parameters(paramLabel = "MESSAGE", arity = "0..1", description = "What the user says.")
  String message;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The environment the configuration and tool headers are read from; tests replace it. */
  Map<String, String> env = System.getenv();

  /** Where --interactive reads messages from; tests replace it. */
  java.io.InputStream stdin = System.in;

  @Override
  public Integer call() throws Exception {
    ChatOutput output = new ChatOutput(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    if (toolRounds < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--tool-rounds must be 0 or more, got " + toolRounds);
    }
    if (message == null && !interactive) {
      throw new CommandLine.ParameterException(spec.commandLine(), "MESSAGE is required unless --interactive is given");
    }
    Vertx vertx = Vertx.vertx();
    try (Agent agent = startAgent(vertx, output)) {
      if (agent == null) return 2;
      Conversation conversation = agent.newConversation("cli", Map.of());
      if (!interactive) return runTurn(conversation, message, output) ? 0 : 1;
      return interactive(conversation, output);
    } catch (AgentException e) {
      output.error(e);
      return e.kind() == ErrorKind.CONFIG ? 2 : 1;
    } finally {
      vertx.close().await();
    }
  }

  private Agent startAgent(Vertx vertx, ChatOutput output) {
    ConfigTree tree = ConfigTree.load(configFile, env);
    ElectronConfig electron = ElectronConfig.from(tree.section("electron"));
    if (baseUrl != null) electron = electron.withBaseUrl(baseUrl);
    if (apiKey != null) electron = electron.withApiKey(Secret.ofNullable(apiKey));
    if (model != null) electron = electron.withModel(model);
    if (emulator) {
      electron = onEmulator(vertx, electron);
    } else if (electron.apiKey() == null) {
      output.error(new AgentException(ErrorKind.AUTHENTICATION, "electron",
          "no API key: set SMALLEST_API_KEY or pass --api-key (or add --emulator to run offline)"));
      return null;
    }
    ToolRegistry tools = toolsFile == null ? ToolRegistry.of()
        : ToolRegistry.of(WebhookTools.load(toolsFile, vertx, env));
    AgentConfig config = AgentConfig.builder(system != null ? system : DEFAULT_SYSTEM).tools(tools)
        .maxToolRounds(toolRounds).maxTokens(maxTokens).temperature(temperature).fallback(null).build();
    return Agent.builder(vertx, config).electron(electron).prices(prices(tree))
        .start().await();
  }

  /** Prices from a {@code prices} section of the operator's file, else the shipped {@code prices.yaml}. */
  static voiceagent.core.Prices prices(ConfigTree tree) {
    return (tree.has("prices") ? PriceTable.load(tree.section("prices")) : PriceTable.fromClasspath()).current();
  }

  /** {@code electron} pointed at a new in-process Electron emulator (offline, no key sent). */
  static ElectronConfig onEmulator(Vertx vertx, ElectronConfig electron) {
    ElectronEmulator emu = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults()).await();
    return electron.withBaseUrl(emu.baseUrl()).withApiKey(null);
  }

  private static boolean runTurn(Conversation conversation, String text, ChatOutput output) {
    return TurnPrinter.run(conversation, text, output, event -> { });
  }

  private int interactive(Conversation conversation, ChatOutput output) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    boolean firstOk = message == null || runTurn(conversation, message, output);
    boolean restOk = TurnPrinter.readLoop(in, json ? null : spec.commandLine().getErr(), line -> runTurn(conversation, line, output));
    return firstOk && restOk ? 0 : 1;
  }
}
