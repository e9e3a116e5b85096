package voiceagent.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import voiceagent.common.AgentException;
import voiceagent.core.internal.electron.RequestBody;

/**
 * One {@code chat/completions} request. Serialized in a fixed order — model, messages, tools, then options — so that
 * identical conversations give identical bytes; the tool catalog is embedded as the canonical JSON its registry
 * produced, byte for byte. {@code stream: true} and {@code stream_options.include_usage: true} are always written.
 *
 * <p>A conversation that sends one request per round should keep its messages as {@link EncodedMessages} (append to
 * it, pass it to {@link Builder#messages}): each message is then encoded once for the whole conversation and the body
 * references those bytes, so building a request costs the same at message 400 as at message 10.
 *
 * <p>Thread contract: immutable; the builder is not thread-safe.
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    String toolsJson,
    String toolChoice,
    Integer maxTokens,
    Double temperature,
    Long seed,
    List<String> stop,
    Map<String, Object> extra) {

  /** Electron's documented limits; exceeding them is a 400, so they are checked before sending. */
  public static final int MAX_MESSAGES = 200;
  public static final int MAX_STOP = 4;

  private static final JsonFactory JSON = new JsonFactory();

  public ChatRequest {
    if (model == null || model.isBlank()) throw AgentException.config("electron.model", model, "a model is required");
    if (messages == null || messages.isEmpty()) {
      throw new AgentException(voiceagent.common.ErrorKind.INVALID_REQUEST, "electron", "messages: at least one is required");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw new AgentException(voiceagent.common.ErrorKind.INVALID_REQUEST, "electron",
          "messages: " + messages.size() + " exceeds the limit of " + MAX_MESSAGES);
    }
    messages = messages instanceof EncodedMessages encoded ? encoded : List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
    if (stop.size() > MAX_STOP) {
      throw AgentException.config("electron.stop", stop, "at most " + MAX_STOP + " stop sequences");
    }
    if (toolsJson != null && (toolsJson.isBlank() || toolsJson.replace(" ", "").equals("[]"))) {
      toolsJson = null; // Electron rejects "tools": [] — leave the field out instead
    }
    extra = extra == null ? Map.of() : Map.copyOf(new TreeMap<>(extra));
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** A copy with other messages (same options). */
  public ChatRequest withMessages(List<ChatMessage> newMessages) {
    return new ChatRequest(model, newMessages, toolsJson, toolChoice, maxTokens, temperature, seed, stop, extra);
  }

  /** A copy with another {@code tool_choice}. */
  public ChatRequest withToolChoice(String choice) {
    return new ChatRequest(model, messages, toolsJson, choice, maxTokens, temperature, seed, stop, extra);
  }

  /**
   * The request body as one read-only buffer. Messages that are {@link EncodedMessages} are written from their cached
   * encodings (nothing copied); plain messages are encoded now. Same bytes either way.
   */
  public Buffer body() {
    return RequestBody.of(this);
  }

  /** The request body as a byte array (a copy of {@link #body()}). */
  public byte[] toJson() {
    return body().getBytes();
  }

  /** One message serialized exactly as in {@link #toJson()}: what {@link EncodedMessages} caches. */
  public static byte[] messageJson(ChatMessage m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeMessage(g, m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeMessage(JsonGenerator g, ChatMessage m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", m.role());
    if (m.content() == null) g.writeNullField("content");
    else g.writeStringField("content", m.content());
    if (!m.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (ChatMessage.ToolCallRef c : m.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.arguments());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (m.toolCallId() != null) g.writeStringField("tool_call_id", m.toolCallId());
    g.writeEndObject();
  }

  /** Builds a {@link ChatRequest}. Thread contract: not thread-safe. */
  public static final class Builder {
    private final String model;
    private EncodedMessages messages = EncodedMessages.empty(); // encoded as they are added, each once
    private String toolsJson;
    private String toolChoice;
    private Integer maxTokens;
    private Double temperature;
    private Long seed;
    private List<String> stop = List.of();
    private final Map<String, Object> extra = new TreeMap<>();

    private Builder(String model) {
      this.model = model;
    }

    public Builder message(ChatMessage m) { messages = messages.append(m); return this; }
    /** Adds {@code ms}; {@link EncodedMessages} are added with their cached encodings, without copying them. */
    public Builder messages(List<ChatMessage> ms) { messages = messages.concat(EncodedMessages.of(ms)); return this; }
    /** The canonical {@code tools} array; null or {@code []} leaves the field out. */
    public Builder toolsJson(String json) { this.toolsJson = json; return this; }
    /** {@code auto}, {@code none}, {@code required}, or the name of one function. */
    public Builder toolChoice(String choice) { this.toolChoice = choice; return this; }
    public Builder maxTokens(Integer n) { this.maxTokens = n; return this; }
    public Builder temperature(Double t) { this.temperature = t; return this; }
    public Builder seed(Long s) { this.seed = s; return this; }
    public Builder stop(List<String> s) { this.stop = s; return this; }
    /** Another request field sent as is (e.g. {@code top_p}, {@code user}). */
    public Builder extra(String key, Object value) { extra.put(key, value); return this; }

    public ChatRequest build() {
      return new ChatRequest(model, messages, toolsJson, toolChoice, maxTokens, temperature, seed, stop, extra);
    }
  }
}
