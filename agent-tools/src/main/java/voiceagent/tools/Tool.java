package voiceagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import voiceagent.common.AgentException;
import voiceagent.tools.internal.dispatch.Handler;
import voiceagent.tools.internal.dispatch.Json;
import voiceagent.tools.internal.schema.ArgumentSchemas;
import voiceagent.tools.internal.schema.ArgumentValidator;

/**
 * A function the model may call: a name, a one-sentence description, the JSON Schema of its arguments, and the code
 * that runs it. Build one with {@link #builder(String)}, from annotated methods with {@link Tools#fromObject(Object)},
 * or from webhook config with {@link WebhookTools}; run it with {@link ToolExecutor}.
 *
 * <p>A handler's return value becomes the result content: a string as is, {@code null} as {@code {"ok":true}},
 * anything else serialized as JSON.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public final class Tool {
  /** Default time limit of one call: long enough for a slow HTTP API, short enough that a caller is not left waiting. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The names OpenAI-compatible APIs accept for functions. */
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  private final String name;
  private final String description;
  private final ObjectNode parameters; // never handed out: callers get copies
  private final boolean sideEffects;
  private final Duration timeout;
  private final String filler;
  private final Function<JsonNode, String> fillerFor; // null: the fixed filler for every call
  private final Handler handler;
  private final ArgumentValidator validator;

  private Tool(Builder b) {
    this.name = b.name;
    this.description = b.description;
    this.parameters = b.parameters;
    this.sideEffects = b.sideEffects;
    this.timeout = b.timeout;
    this.filler = b.filler;
    this.fillerFor = b.fillerFor;
    this.handler = b.handler;
    try {
      this.validator = ArgumentValidator.compile(parameters);
    } catch (IllegalArgumentException e) {
      throw AgentException.config(b.path("parameters"), parameters, "is not a valid JSON Schema: " + e.getMessage());
    }
  }

  /** A builder for a tool called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() { return name; }

  /** One sentence for the model. */
  public String description() { return description; }

  /** The JSON Schema of the arguments object, as a fresh copy that the caller may change. */
  public ObjectNode parameters() { return parameters.deepCopy(); }

  /**
   * Whether the tool changes something outside the call (a booking, a message, a hang-up). It decides what a barge-in
   * or a cancelled turn does to a call of this tool ({@link ToolExecution#interrupt()}):
   * <ul>
   *   <li>a side-effecting call that has <em>started</em> is never interrupted: it finishes (bounded by its
   *       {@link #timeout()}) and its result reaches the conversation's history, so the model always learns what
   *       happened (a booking made while the caller talked over the agent is not forgotten); the next turn's first
   *       request waits for it;
   *   <li>a side-effecting call that has <em>not started</em> when its turn is cancelled never starts;
   *   <li>a read-only call (the default) may be interrupted: its thread is interrupted or its stage cancelled, and a
   *       late result is dropped.
   * </ul>
   */
  public boolean sideEffects() { return sideEffects; }

  /** The time limit of one call. */
  public Duration timeout() { return timeout; }

  /** The fixed phrase to speak while the tool runs, if any. */
  public Optional<String> filler() { return Optional.ofNullable(filler); }

  /**
   * The phrase to speak while one call runs: the filler function's phrase for these arguments ("Let me check the
   * weather in Paris…") when it gives one, else the fixed {@link #filler()}. {@code arguments} may be {@code null}
   * (arguments that did not parse); a function that throws counts as giving none, because a filler must never stop
   * a call.
   */
  public Optional<String> filler(JsonNode arguments) {
    if (fillerFor != null) {
      String phrase;
      try {
        phrase = fillerFor.apply(arguments);
      } catch (RuntimeException e) {
        phrase = null;
      }
      if (phrase != null && !phrase.isBlank()) return Optional.of(phrase.strip());
    }
    return filler();
  }

  Handler handler() { return handler; }

  ArgumentValidator validator() { return validator; }

  /** The schema without copying, for the registry's catalog (which copies it once). */
  ObjectNode schema() { return parameters; }

  @Override
  public String toString() {
    return "Tool[" + name + "]";
  }

  /**
   * Builds a {@link Tool}. {@code description} and one handler are required; {@code parameters} defaults to the
   * record type of {@link #handler(Class, Function)}, or to an object without properties.
   *
   * <p>Thread contract: not thread-safe.
   */
  public static final class Builder {
    private final String name;
    private String description;
    private ObjectNode parameters;
    private boolean sideEffects;
    private Duration timeout = DEFAULT_TIMEOUT;
    private String filler;
    private Function<JsonNode, String> fillerFor;
    private Handler handler;

    private Builder(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw AgentException.config("tool.name", name, "must match " + NAME.pattern());
      }
      this.name = name;
    }

    private String path(String field) {
      return "tools." + name + "." + field;
    }

    /** One sentence saying what the tool does. */
    public Builder description(String description) {
      if (description == null || description.isBlank()) {
        throw AgentException.config(path("description"), description, "must not be blank");
      }
      this.description = description.strip();
      return this;
    }

    /** The JSON Schema of the arguments; its root must be {@code "type": "object"}. The schema is copied. */
    public Builder parameters(ObjectNode schema) {
      Objects.requireNonNull(schema, "schema");
      if (!"object".equals(schema.path("type").asText())) {
        throw AgentException.config(path("parameters.type"), schema.get("type"), "must be \"object\"");
      }
      ObjectNode copy = schema.deepCopy();
      copy.remove("$schema"); // the draft is fixed (2020-12); the key would only cost tokens
      this.parameters = copy;
      return this;
    }

    /** Arguments described by the components of a record, schema generated. */
    public Builder parameters(Class<? extends Record> type) {
      return parameters(ArgumentSchemas.forType(type));
    }

    /** Whether the tool has side effects (default false). */
    public Builder sideEffects(boolean sideEffects) {
      this.sideEffects = sideEffects;
      return this;
    }

    /** The time limit of one call (default {@link Tool#DEFAULT_TIMEOUT}). */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
        throw AgentException.config(path("timeout"), timeout, "must be at least 1 ms");
      }
      this.timeout = timeout;
      return this;
    }

    /** A phrase to speak while the tool runs (stored for the turn engine). */
    public Builder filler(String filler) {
      this.filler = filler == null || filler.isBlank() ? null : filler.strip();
      return this;
    }

    /**
     * A phrase for each call, from its arguments (may be {@code null}); null or blank falls back to the fixed
     * {@link #filler(String)}. Called on the event loop: it must be quick and must not block.
     */
    public Builder filler(Function<JsonNode, String> phraseForArguments) {
      this.fillerFor = Objects.requireNonNull(phraseForArguments, "phraseForArguments");
      return this;
    }

    /** Blocking code given the raw arguments; runs on a virtual thread. */
    public Builder handler(Function<JsonNode, Object> handler) {
      return handle(new Handler.Blocking(Objects.requireNonNull(handler, "handler")));
    }

    /** Blocking code given the arguments bound to {@code argsType} with Jackson; runs on a virtual thread. */
    public <R> Builder handler(Class<R> argsType, Function<R, Object> handler) {
      Objects.requireNonNull(handler, "handler");
      if (parameters == null && argsType.isRecord()) parameters(ArgumentSchemas.forType(argsType));
      return handle(new Handler.Blocking(json -> handler.apply(Json.bind(json, argsType))));
    }

    /**
     * Non-blocking code returning a stage. It is called on a virtual thread, never on an event loop, so a function
     * that blocks before returning its stage delays only its own call.
     */
    public Builder asyncHandler(Function<JsonNode, ? extends CompletionStage<?>> handler) {
      return handle(new Handler.Async(Objects.requireNonNull(handler, "handler")));
    }

    /**
     * Non-blocking code returning a {@link Mono}; built and subscribed on a virtual thread, cancelled on timeout or
     * cancel.
     */
    public Builder monoHandler(Function<JsonNode, ? extends Mono<?>> handler) {
      Objects.requireNonNull(handler, "handler");
      return handle(new Handler.Async(json -> handler.apply(json).toFuture()));
    }

    Builder handle(Handler h) {
      if (handler != null) throw AgentException.config(path("handler"), "second handler", "a tool has one handler");
      this.handler = h;
      return this;
    }

    /** The tool; fails naming the field when the description or the handler is missing. */
    public Tool build() {
      if (description == null) throw AgentException.config(path("description"), null, "is required");
      if (handler == null) throw AgentException.config(path("handler"), null, "is required");
      if (parameters == null) parameters = ArgumentSchemas.empty();
      return new Tool(this);
    }
  }
}
