package voiceagent.core.internal.electron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds tool calls from streamed {@code delta.tool_calls} fragments and declares each one complete as early as
 * possible, so its tool can start while the model is still streaming: when its arguments JSON closes, when a later
 * call starts streaming arguments while its own are still empty (a parameterless call), or when the stream ends —
 * whichever comes first. A later call's header alone does not complete an earlier one: some servers send every
 * call's header first and interleave the argument fragments after.
 *
 * <p>Tolerates what OpenAI-compatible servers send: a missing {@code index} (correlated by id, else the latest call),
 * a missing {@code type}, {@code id}/{@code name} repeated or sent as {@code ""} later (the first non-empty value
 * wins), a name that arrives after the id, arguments whole or in fragments, {@code ""}/absent arguments (meaning
 * {@code {}}), and arguments sent as an already-parsed JSON object.
 *
 * <p>Thread contract: not thread-safe; used by one stream on its context.
 */
public final class ToolCallAssembler {

  /** Receives each call once, when it is complete. {@code arguments} is null when the JSON did not parse. */
  @FunctionalInterface
  public interface Sink {
    void onToolCall(int index, String id, String name, JsonNode arguments, String rawArguments);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sink sink;
  private final IdSource ids;
  private final List<Call> calls = new ArrayList<>();

  /** Supplies ids for calls the server sent without one. */
  @FunctionalInterface
  public interface IdSource {
    String next();
  }

  public ToolCallAssembler(Sink sink, IdSource ids) {
    this.sink = sink;
    this.ids = ids;
  }

  /** Applies one element of {@code delta.tool_calls}. */
  public void accept(JsonNode fragment) {
    String id = text(fragment.path("id"));
    JsonNode function = fragment.path("function");
    String name = text(function.path("name"));
    JsonNode arguments = function.get("arguments");

    Call call = locate(fragment.get("index"), id);
    if (call.id == null && id != null) call.id = id;
    if (call.name == null && name != null) call.name = name;
    if (arguments != null && !arguments.isNull()) {
      if (arguments.isTextual()) call.appendArguments(arguments.asText());
      else call.wholeArguments(arguments);
    }
    if (!call.isBlank()) {
      for (Call c : calls) if (c.index < call.index && c.isBlank()) complete(c);
    }
    if (call.closed()) complete(call);
  }

  /** The stream ended: every call not yet complete is complete now, in index order. */
  public void finish() {
    for (Call c : calls) complete(c);
  }

  /** How many calls have begun, complete or not. */
  public int count() {
    return calls.size();
  }

  private Call locate(JsonNode indexNode, String id) {
    if (indexNode != null && indexNode.canConvertToInt()) {
      int index = indexNode.asInt();
      for (Call c : calls) if (c.index == index) return c;
      return begin(index);
    }
    if (id != null) {
      for (Call c : calls) if (id.equals(c.id)) return c;
      if (!calls.isEmpty() && calls.get(calls.size() - 1).id == null) return calls.get(calls.size() - 1);
      return begin(calls.isEmpty() ? 0 : calls.get(calls.size() - 1).index + 1);
    }
    return calls.isEmpty() ? begin(0) : calls.get(calls.size() - 1);
  }

  private Call begin(int index) {
    Call call = new Call(index);
    calls.add(call);
    return call;
  }

  private void complete(Call call) {
    if (call.dispatched) return;
    call.dispatched = true;
    String raw = call.raw();
    JsonNode parsed = call.parsed;
    if (parsed == null) {
      parsed = raw.isBlank() ? JsonNodeFactory.instance.objectNode() : parse(raw);
    }
    String id = call.id != null ? call.id : ids.next();
    sink.onToolCall(call.index, id, call.name, parsed, raw);
  }

  private static JsonNode parse(String raw) {
    try {
      JsonNode node = JSON.readTree(raw);
      return node != null && node.isObject() ? node : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    if (node == null || !node.isTextual()) return null;
    String s = node.asText();
    return s.isEmpty() ? null : s;
  }

  /** One call being assembled, with an incremental scanner that notices when its JSON object closes. */
  private static final class Call {
    final int index;
    String id;
    String name;
    boolean dispatched;
    JsonNode parsed;
    private final StringBuilder arguments = new StringBuilder();
    private int depth;
    private boolean started;
    private boolean inString;
    private boolean escaped;
    private boolean closed;

    Call(int index) {
      this.index = index;
    }

    void appendArguments(String fragment) {
      if (closed || parsed != null) return; // extra bytes after the object closed change nothing already dispatched
      arguments.append(fragment);
      for (int i = 0; i < fragment.length() && !closed; i++) scan(fragment.charAt(i));
    }

    void wholeArguments(JsonNode object) {
      if (parsed == null && arguments.isEmpty()) {
        parsed = object.isObject() ? object : null;
        arguments.append(object.toString());
        closed = true;
      }
    }

    private void scan(char ch) {
      if (inString) {
        if (escaped) escaped = false;
        else if (ch == '\\') escaped = true;
        else if (ch == '"') inString = false;
        return;
      }
      switch (ch) {
        case '"' -> inString = true;
        case '{', '[' -> {
          depth++;
          started = true;
        }
        case '}', ']' -> {
          depth--;
          if (started && depth == 0) closed = true;
        }
        default -> { }
      }
    }

    boolean closed() {
      return closed;
    }

    boolean isBlank() {
      return parsed == null && arguments.toString().isBlank();
    }

    String raw() {
      return arguments.toString();
    }
  }
}
