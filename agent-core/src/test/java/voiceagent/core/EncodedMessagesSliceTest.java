package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slices of an encoded history, as compaction and a taken-back turn make them, write what their messages are. */
class EncodedMessagesSliceTest {

  private static EncodedMessages grown(List<ChatMessage> messages) {
    EncodedMessages e = EncodedMessages.empty();
    for (ChatMessage m : messages) e = e.append(m);
    return e;
  }

  private static String json(List<ChatMessage> messages) {
    StringBuilder s = new StringBuilder();
    for (ChatMessage m : messages) {
      if (!s.isEmpty()) s.append(',');
      s.append(new String(ChatRequest.messageJson(m), StandardCharsets.UTF_8));
    }
    return s.toString();
  }

  @Test
  void everySliceWritesExactlyItsMessagesAndTheirSizes() {
    List<ChatMessage> plain = ChatRequestBodyTest.history(12);
    EncodedMessages system = grown(List.of(ChatMessage.system("Be brief. ¿Sí?")));
    EncodedMessages all = system.concat(grown(plain)); // two runs, as a request's messages are
    List<ChatMessage> expected = new ArrayList<>(List.of(ChatMessage.system("Be brief. ¿Sí?")));
    expected.addAll(plain);
    for (int from = 0; from <= all.size(); from++) {
      for (int to = from; to <= all.size(); to++) {
        EncodedMessages slice = all.slice(from, to);
        List<ChatMessage> want = expected.subList(from, to);
        assertEquals(want, slice, "messages of [" + from + ", " + to + ")");
        assertEquals(json(want), slice.json().toString(StandardCharsets.UTF_8), "json of [" + from + ", " + to + ")");
        assertEquals(json(want).getBytes(StandardCharsets.UTF_8).length, slice.encodedLength());
      }
    }
    for (int i = 0; i < all.size(); i++) {
      assertEquals(ChatRequest.messageJson(expected.get(i)).length, all.encodedLength(i), "size of message " + i);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> all.slice(2, 1));
  }

  @Test
  void compactedHistoryGrowsOnWithoutTouchingTheOriginal() {
    List<ChatMessage> plain = new ArrayList<>();
    for (int i = 0; i < 10; i += 2) {
      plain.add(ChatMessage.user("question " + i));
      plain.add(ChatMessage.assistant("answer " + i, List.of()));
    }
    EncodedMessages all = grown(plain);
    EncodedMessages compacted = all.slice(0, 1).concat(all.slice(6, 10)).append(ChatMessage.user("and tomorrow?"));
    List<ChatMessage> want = new ArrayList<>(plain.subList(0, 1));
    want.addAll(plain.subList(6, 10));
    want.add(ChatMessage.user("and tomorrow?"));
    assertEquals(want, compacted);
    assertEquals(json(want), compacted.json().toString(StandardCharsets.UTF_8));
    assertEquals(json(plain), all.json().toString(StandardCharsets.UTF_8), "the original list is unchanged");
    assertEquals(1, compacted.mismatch(all), "the compacted list differs from message 1 on");
  }
}
