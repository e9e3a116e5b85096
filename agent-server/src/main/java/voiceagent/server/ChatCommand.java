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
import voiceagent.common.Secret;
import voiceagent.core.Agent;
import voiceagent.core.AgentConfig;
import voiceagent.core.Conversation;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.config.PriceTable;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.samples.weather.WeatherAgent;
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

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature, 0 to 2.")
  Double temperature;

  @Option(names = "--json", description = "Print one JSON object per line on stdout (logs go to stderr).")
  boolean json;

  @Option(names = "--interactive", description = "Keep the conversation going: read one message per line from stdin.")
  boolean interactive;

  @Option(names = "--emulator", description = {"Run against the built-in Electron emulator (offline, no key needed)",
      "with the weather sample's tools unless --tools is given; costs are emulator estimates."})
  boolean emulator;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file overlaying the defaults.")
  Path configFile;

  @Parameters(paramLabel = "MESSAGE", arity = "0..1", description = "What the user says (not blank).")
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
    output.textCost();
    checkFlags();
    Vertx vertx = Vertx.vertx();
    try (Agent agent = start(vertx, output)) {
      Conversation conversation = agent.newConversation("cli", Map.of());
      if (!interactive) return runTurn(conversation, message, output) ? 0 : 1;
      return interactive(conversation, output);
    } finally {
      vertx.close().await();
    }
  }

  /** Refuses bad flags before anything starts: nothing is sent for a message that cannot be right. */
  private void checkFlags() {
    if (toolRounds < 0) {
      throw CliFailure.badInput("--tool-rounds " + toolRounds, "must be 0 or more", "pass 0 to only report tool calls");
    }
    if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
      throw CliFailure.badInput("--temperature " + temperature, "must be between 0 and 2",
          "pass a value from 0 (repeatable) to 2 (most varied)");
    }
    if (message == null && !interactive) {
      throw CliFailure.badInput("MESSAGE", "missing", "give what the user says, e.g. chat \"Hello\", or add --interactive");
    }
    if (message != null && message.isBlank()) {
      throw CliFailure.badInput("MESSAGE", "is empty", "give what the user says, e.g. chat \"Hello\"");
    }
    CliFiles.requireFile("--tools", toolsFile, "a JSON or YAML list of tools");
    CliFiles.requireFile("--config", configFile, "a YAML or JSON configuration file");
  }

  /** The agent; a failure to start it is printed as a JSON {@code error} line too with {@code --json}. */
  private Agent start(Vertx vertx, ChatOutput output) {
    try {
      return startAgent(vertx, output);
    } catch (AgentException e) {
      if (json) output.error(e);
      throw e;
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
      output.costEstimate("emulator");
    } else if (electron.apiKey() == null) {
      throw CliFailure.badInput("SMALLEST_API_KEY", "not set",
          "export your Smallest AI API key, pass --api-key, or add --emulator to run offline");
    }
    AgentConfig config = AgentConfig.builder(system != null ? system : DEFAULT_SYSTEM).tools(tools(vertx))
        .maxToolRounds(toolRounds).maxTokens(maxTokens).temperature(temperature).fallback(null).build();
    return Agent.builder(vertx, config).electron(electron).prices(prices(tree))
        .start().await();
  }

  /**
   * The webhook tools of {@code --tools}; on the emulator without {@code --tools}, the weather sample's tools, so
   * that a weather question shows a whole tool round offline.
   */
  private ToolRegistry tools(Vertx vertx) {
    if (toolsFile != null) return ToolRegistry.of(WebhookTools.load(toolsFile, vertx, env));
    return emulator ? WeatherAgent.config().tools() : ToolRegistry.of(); // the offline table: no network
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
