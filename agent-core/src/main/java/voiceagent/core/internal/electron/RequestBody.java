package voiceagent.core.internal.electron;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import voiceagent.core.ChatRequest;
import voiceagent.core.EncodedMessages;

/**
 * Assembles a {@code chat/completions} body without serializing it whole: only the few request fields around the
 * messages are written per request; the messages are their cached encodings ({@link EncodedMessages#json()}) and the
 * tool catalog is the one UTF-8 encoding of its canonical text. The pieces become one read-only composite buffer, which
 * the socket writes with a gathering write, so the history is never copied on the heap.
 *
 * <p>Field order is fixed — model, messages, tools, tool_choice, options, extra fields sorted, stream — so identical
 * conversations give identical bytes.
 *
 * <p>Thread contract: thread-safe (stateless but for a concurrent cache of catalog encodings).
 */
public final class RequestBody {
  private static final JsonFactory JSON = new JsonFactory();
  /**
   * Catalog encodings by catalog text. A {@code ToolRegistry} hands out one string instance, so every call of an agent
   * finds its catalog by identity and shares one encoding. The bound keeps a process that builds many registries
   * from growing without limit; past it, a catalog is encoded per request (correct, only slower).
   */
  private static final int MAX_CATALOGS = 64;
  private static final Map<String, byte[]> CATALOGS = new ConcurrentHashMap<>();

  private RequestBody() {}

  /** The body of {@code request}; its messages are encoded now unless they are {@link EncodedMessages}. */
  public static Buffer of(ChatRequest request) {
    return of(request, EncodedMessages.of(request.messages()));
  }

  /**
   * The body of {@code request} with {@code messages} in place of its own. Used by {@link #of(ChatRequest)}, and by
   * the request benchmark to measure histories past {@link ChatRequest#MAX_MESSAGES}.
   */
  public static Buffer of(ChatRequest request, EncodedMessages messages) {
    Skeleton s = skeleton(request);
    byte[] catalog = request.toolsJson() == null ? null : catalog(request.toolsJson());
    ByteBuf json = ((BufferInternal) messages.json()).getByteBuf();
    ByteBuf[] parts = catalog == null
        ? new ByteBuf[] {s.slice(0, s.messagesAt), json, s.slice(s.messagesAt, s.bytes.length)}
        : new ByteBuf[] {s.slice(0, s.messagesAt), json, s.slice(s.messagesAt, s.toolsAt),
            Unpooled.wrappedBuffer(catalog), s.slice(s.toolsAt, s.bytes.length)};
    return BufferInternal.buffer(Unpooled.wrappedBuffer(parts.length, parts).asReadOnly());
  }

  private static byte[] catalog(String toolsJson) {
    byte[] cached = CATALOGS.get(toolsJson);
    if (cached != null) return cached;
    byte[] bytes = toolsJson.getBytes(StandardCharsets.UTF_8);
    if (CATALOGS.size() < MAX_CATALOGS) CATALOGS.putIfAbsent(toolsJson, bytes);
    return bytes;
  }

  /**
   * Every field but the messages and the catalog, written once: {@code {"model":…,"messages":[} up to
   * {@code messagesAt}, then {@code ],"tools":} up to {@code toolsAt} (when there are tools), then the rest.
   */
  private record Skeleton(byte[] bytes, int messagesAt, int toolsAt) {
    ByteBuf slice(int from, int to) {
      return Unpooled.wrappedBuffer(bytes, from, to - from);
    }
  }

  private static Skeleton skeleton(ChatRequest r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    int messagesAt;
    int toolsAt = -1;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeFieldName("messages");
      g.writeStartArray();
      g.flush();
      messagesAt = out.size();
      g.writeEndArray();
      if (r.toolsJson() != null) {
        g.writeFieldName("tools");
        g.writeRawValue(""); // the colon; the catalog's bytes go here
        g.flush();
        toolsAt = out.size();
        if (r.toolChoice() != null) writeToolChoice(g, r.toolChoice());
      }
      if (r.maxTokens() != null) g.writeNumberField("max_tokens", r.maxTokens());
      if (r.temperature() != null) g.writeNumberField("temperature", r.temperature());
      if (r.seed() != null) g.writeNumberField("seed", r.seed());
      if (!r.stop().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String s : r.stop()) g.writeString(s);
        g.writeEndArray();
      }
      if (!r.extra().isEmpty()) {
        for (Map.Entry<String, Object> e : new TreeMap<>(r.extra()).entrySet()) {
          g.writeFieldName(e.getKey());
          writeValue(g, e.getValue());
        }
      }
      g.writeBooleanField("stream", true);
      g.writeObjectFieldStart("stream_options");
      g.writeBooleanField("include_usage", true);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Skeleton(out.toByteArray(), messagesAt, toolsAt);
  }

  private static void writeToolChoice(JsonGenerator g, String choice) throws IOException {
    switch (choice) {
      case "auto", "none", "required" -> g.writeStringField("tool_choice", choice);
      default -> {
        g.writeObjectFieldStart("tool_choice");
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", choice);
        g.writeEndObject();
        g.writeEndObject();
      }
    }
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Boolean b -> g.writeBoolean(b);
      default -> g.writeString(v.toString());
    }
  }
}
