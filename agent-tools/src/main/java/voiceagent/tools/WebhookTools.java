package voiceagent.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.IoErrors;
import voiceagent.tools.internal.dispatch.Json;
import voiceagent.tools.internal.webhook.WebhookCall;
import voiceagent.tools.internal.webhook.WebhookSpec;

/**
 * Tools declared in config that call an HTTP endpoint: each POSTs its arguments as JSON
 * ({@code Content-Type: application/json}) to its {@code url} and answers with the response body text. The
 * declaration is a list of
 * <pre>{"name", "description", "parameters"?, "url", "headers"?, "timeout_ms"?, "side_effects"?, "filler"?}</pre>
 * with {@code ${NAME}} / {@code ${NAME:default}} substituted from the environment in {@code url} and header values.
 * A non-2xx answer is an error result with the status and a short body excerpt; a call slower than
 * {@code timeout_ms} (default 10000) is an error result {@code timed out after N ms}. Header values are never logged.
 *
 * <p>Thread contract: stateless, thread-safe; the tools it returns are immutable and run without blocking.
 */
public final class WebhookTools {
  private static final ObjectMapper YAML = new YAMLMapper();

  private WebhookTools() {}

  /** Loads webhook tools from a JSON file, or YAML when the name ends in {@code .yaml} / {@code .yml}. */
  public static List<Tool> load(Path file, Vertx vertx, Map<String, String> env) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : Json.MAPPER;
    JsonNode list;
    try {
      list = mapper.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw AgentException.config("tools file", file, "cannot be parsed: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new AgentException(ErrorKind.CONFIG, "config",
          "tools file=" + file + ": cannot be read: " + IoErrors.reason(e), e);
    }
    return fromJson(list, vertx, env);
  }

  /** Builds webhook tools from a list of declarations; every error names the tool and the field. */
  public static List<Tool> fromJson(JsonNode list, Vertx vertx, Map<String, String> env) {
    if (list == null || !list.isArray()) {
      throw AgentException.config("tools", list == null ? null : list.getNodeType(), "must be a list of tools");
    }
    List<WebhookSpec> specs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) specs.add(WebhookSpec.parse(list.get(i), i, env));
    if (specs.isEmpty()) return List.of();
    HttpClient client = vertx.createHttpClient(); // one pooled client for the tools of this declaration
    List<Tool> tools = new ArrayList<>();
    for (WebhookSpec spec : specs) {
      Tool.Builder builder = Tool.builder(spec.name())
          .description(spec.description())
          .sideEffects(spec.sideEffects())
          .timeout(Duration.ofMillis(spec.timeoutMillis()))
          .filler(spec.filler())
          .asyncHandler(new WebhookCall(client, spec.name(), spec.url(), spec.headers(), spec.timeoutMillis()));
      if (spec.parameters() != null) builder.parameters(spec.parameters());
      tools.add(builder.build());
    }
    return List.copyOf(tools);
  }
}
