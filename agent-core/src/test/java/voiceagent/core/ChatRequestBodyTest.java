package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A body assembled from cached message encodings is byte for byte the JSON that serializing the whole request in one
 * pass gives, for every kind of message and option.
 */
class ChatRequestBodyTest {
  static final String TOOLS = "[{\"function\":{\"description\":\"Book a table.\",\"name\":\"book\",\"parameters\":"
      + "{\"properties\":{\"day\":{\"type\":\"string\"}},\"type\":\"object\"}},\"type\":\"function\"}]";

  /** Hard text for an encoder: quotes, backslashes, control characters, line separators, accents, emoji, RTL. */
  static final List<String> TEXTS = List.of("plain", "", "say \"hi\" \\ back", "tab\tnew\nline\r\u0001\u001f",
      "café, naïve, Straße — “quotes”", "emoji 🙂👍🏽 and a lone surrogate pair 𝄞", "שלום עליכם", "\u2028\u2029 separators",
      "</script><!-- html -->", "€100 & <b>");

  /** A history with every message shape, {@code count} long. */
  static List<ChatMessage> history(int count) {
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; out.size() < count; i++) {
      String text = TEXTS.get(i % TEXTS.size());
      switch (i % 5) {
        case 0 -> out.add(ChatMessage.user(text + " " + i));
        case 1 -> out.add(ChatMessage.assistant(text, List.of()));
        case 2 -> {
          out.add(ChatMessage.assistant(i % 2 == 0 ? null : "Let me look.", List.of(
              new ChatMessage.ToolCallRef("call_" + i, "book", "{\"day\":\"" + text.replace("\"", "") + "\"}"),
              new ChatMessage.ToolCallRef("call_" + i + "b", "book", null))));
          out.add(ChatMessage.tool("call_" + i, "{\"ok\":true,\"note\":\"" + i + "\"}"));
          out.add(ChatMessage.tool("call_" + i + "b", text));
        }
        case 3 -> out.add(ChatMessage.system("Call context:\nname: " + text));
        default -> out.add(ChatMessage.assistant("", List.of())); // an empty reply is kept as ""
      }
    }
    return out.subList(0, count);
  }

  private static final List<ChatMessage> SYSTEM = List.of(ChatMessage.system("You are terse. ¿Sí?"),
      ChatMessage.system("Open 9–5."));

  /** The messages as the turn engine holds them: shared system messages, then a history grown by appends. */
  private static EncodedMessages engineMessages(List<ChatMessage> history) {
    EncodedMessages h = EncodedMessages.empty();
    for (ChatMessage m : history) h = h.append(m);
    return EncodedMessages.of(SYSTEM).concat(h);
  }

  private static List<ChatMessage> plain(List<ChatMessage> history) {
    List<ChatMessage> all = new ArrayList<>(SYSTEM);
    all.addAll(history);
    return all;
  }

  @Test
  void cachedBodyEqualsAOnePassSerializationForManyHistories() {
    for (int count : new int[] {1, 2, 5, 17, 33, 120, 198}) { // 33 and 120 grow the storage past its first size
      List<ChatMessage> history = history(count);
      ChatRequest cached = ChatRequest.builder("electron").messages(engineMessages(history)).toolsJson(TOOLS)
          .maxTokens(300).temperature(0.3).build();
      byte[] expected = onePass(cached.withMessages(plain(history)));
      assertArrayEquals(expected, cached.body().getBytes(), "history of " + count);
      assertArrayEquals(expected, cached.toJson(), "history of " + count);
      ChatRequest fromPlain = ChatRequest.builder("electron").messages(plain(history)).toolsJson(TOOLS).maxTokens(300)
          .temperature(0.3).build();
      assertArrayEquals(expected, fromPlain.body().getBytes(), "plain messages, history of " + count);
      assertEquals(fromPlain, cached);
    }
  }

  @Test
  void everyOptionIsWrittenInTheSameOrderAroundTheCachedMessages() throws IOException {
    EncodedMessages messages = engineMessages(history(12));
    List<ChatRequest> requests = List.of(
        ChatRequest.builder("m").messages(messages).build(),
        ChatRequest.builder("m").messages(messages).toolsJson(TOOLS).toolChoice("none").build(),
        ChatRequest.builder("m").messages(messages).toolsJson(TOOLS).toolChoice("book").seed(7L).build(),
        ChatRequest.builder("m").messages(messages).toolsJson("[]").toolChoice("auto").build(), // tools left out
        ChatRequest.builder("m").messages(messages).stop(List.of("\n\n", "User:")).extra("top_p", 0.9)
            .extra("user", "c-7").extra("n", 1).extra("logprobs", false).build());
    for (ChatRequest r : requests) {
      byte[] body = r.body().getBytes();
      assertArrayEquals(onePass(r), body, r.toString());
      JsonNode json = MAPPER.readTree(body);
      assertEquals(messages.size(), json.get("messages").size());
      assertEquals(true, json.path("stream_options").path("include_usage").asBoolean());
    }
  }

  @Test
  void appendingToAnOlderListForksWithoutDisturbingTheNewer() {
    EncodedMessages base = EncodedMessages.of(history(6));
    EncodedMessages kept = base.append(ChatMessage.user("kept"));
    EncodedMessages forked = base.append(ChatMessage.user("forked")).append(ChatMessage.assistant("ok", null));
    assertEquals(6, base.size());
    assertEquals(ChatMessage.user("kept"), kept.getLast());
    assertEquals(List.of(ChatMessage.user("forked"), ChatMessage.assistant("ok", null)), forked.subList(6, 8));
    for (EncodedMessages m : List.of(base, kept, forked)) {
      ChatRequest r = ChatRequest.builder("m").messages(m).build();
      assertArrayEquals(onePass(r.withMessages(new ArrayList<>(m))), r.body().getBytes());
    }
    assertEquals(6, kept.mismatch(forked));
    assertEquals(6, base.mismatch(kept)); // a prefix: the shorter size
    assertEquals(-1, kept.mismatch(EncodedMessages.of(new ArrayList<>(kept)))); // equal bytes in other storage
  }

  @Test
  void appendsRacingFromOneListEachGetTheirOwnMessage() throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 200; round++) {
        EncodedMessages base = EncodedMessages.of(history(3)).append(ChatMessage.user("base"));
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<EncodedMessages>> results = new ArrayList<>();
        for (String who : List.of("left", "right")) {
          results.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return base.append(ChatMessage.user(who));
          }));
        }
        EncodedMessages left = results.get(0).get(10, TimeUnit.SECONDS);
        EncodedMessages right = results.get(1).get(10, TimeUnit.SECONDS);
        assertEquals(ChatMessage.user("left"), left.getLast());
        assertEquals(ChatMessage.user("right"), right.getLast());
        assertEquals(base.size(), left.mismatch(right)); // one shares the storage, the other copied it
        for (EncodedMessages m : List.of(left, right)) {
          ChatRequest r = ChatRequest.builder("m").messages(m).build();
          assertArrayEquals(onePass(r.withMessages(new ArrayList<>(m))), r.body().getBytes());
        }
      }
    }
  }

  @Test
  void mismatchComparesSeparatelyEncodedMessagesByTheirBytes() {
    List<ChatMessage> h = history(40);
    EncodedMessages a = engineMessages(h);
    List<ChatMessage> edited = new ArrayList<>(h);
    edited.set(25, ChatMessage.user("edited"));
    assertEquals(SYSTEM.size() + 25, a.mismatch(engineMessages(edited)));
    assertEquals(-1, a.mismatch(engineMessages(h)));
    assertEquals(0, a.mismatch(EncodedMessages.of(h)));
    assertEquals(0, EncodedMessages.empty().mismatch(a));
  }

  @Test
  void bodyIsReadOnlySoNoWriterCanCorruptTheSharedEncodings() {
    EncodedMessages messages = engineMessages(history(3));
    Buffer body = ChatRequest.builder("m").messages(messages).build().body();
    assertThrows(ReadOnlyBufferException.class, () -> body.setByte(20, (byte) 'x'));
    assertThrows(ReadOnlyBufferException.class, () -> messages.json().setByte(0, (byte) 'x'));
    assertEquals(messages.encodedLength(), messages.json().length());
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The reference the assembled body must equal: the whole request as one JSON tree, in the documented field order,
   * serialized in one pass by Jackson's object mapper.
   */
  static byte[] onePass(ChatRequest r) {
    try {
      ObjectNode root = MAPPER.createObjectNode().put("model", r.model());
      ArrayNode messages = root.putArray("messages");
      for (ChatMessage m : r.messages()) {
        ObjectNode node = messages.addObject().put("role", m.role()).put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
          ArrayNode calls = node.putArray("tool_calls");
          for (ChatMessage.ToolCallRef c : m.toolCalls()) {
            calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                .put("name", c.name()).put("arguments", c.arguments());
          }
        }
        if (m.toolCallId() != null) node.put("tool_call_id", m.toolCallId());
      }
      if (r.toolsJson() != null) {
        root.set("tools", MAPPER.readTree(r.toolsJson()));
        String choice = r.toolChoice();
        if (choice != null && List.of("auto", "none", "required").contains(choice)) root.put("tool_choice", choice);
        else if (choice != null) {
          root.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice);
        }
      }
      if (r.maxTokens() != null) root.put("max_tokens", r.maxTokens());
      if (r.temperature() != null) root.put("temperature", r.temperature());
      if (r.seed() != null) root.put("seed", r.seed());
      if (!r.stop().isEmpty()) r.stop().forEach(root.putArray("stop")::add);
      new TreeMap<>(r.extra()).forEach((k, v) -> root.set(k, MAPPER.valueToTree(v)));
      root.put("stream", true).putObject("stream_options").put("include_usage", true);
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
