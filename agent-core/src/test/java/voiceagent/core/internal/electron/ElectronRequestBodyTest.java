package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voiceagent.core.ChatMessage;
import voiceagent.core.ChatRequest;
import voiceagent.core.ElectronEvent;
import voiceagent.core.EncodedMessages;
import voiceagent.testkit.ManualClock;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.RecordedRequest;

/** The body assembled from cached encodings reaches the server intact over a real socket, on every attempt. */
class ElectronRequestBodyTest {
  private final ManualClock clock = new ManualClock();
  private ElectronHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new ElectronHarness();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  /** 150 messages grown by appends, with accents, emoji, tool calls and tool results. */
  private static EncodedMessages longHistory() {
    EncodedMessages m = EncodedMessages.empty().append(ChatMessage.system("You are terse. Réponds en français 🙂"));
    for (int i = 0; m.size() < 150; i++) {
      m = m.append(ChatMessage.user("Question " + i + " — où est la gare ? \"vite\""));
      m = m.append(ChatMessage.assistant(null, List.of(new ChatMessage.ToolCallRef("call_" + i, "find",
          "{\"q\":\"gare " + i + "\"}"))));
      m = m.append(ChatMessage.tool("call_" + i, "{\"distance_m\":" + (100 * i) + "}"));
      m = m.append(ChatMessage.assistant("À " + (100 * i) + " mètres.", List.of()));
    }
    return m;
  }

  @Test
  void retriedRequestSendsTheSameBytesAsAOnePassSerialization() throws Exception {
    h.emulator.enqueue(ElectronReply.status(503), ElectronReply.text("Voilà."));
    EncodedMessages messages = longHistory();
    ChatRequest request = ChatRequest.builder("electron").messages(messages).maxTokens(200).build();
    String expected = new String(request.withMessages(new ArrayList<>(messages)).toJson(), StandardCharsets.UTF_8);

    ElectronHarness.Recorder r = h.start(h.client(h.config().withTimeouts(3000, 0, 0), clock), request);
    clock.awaitPending(1, 10_000);
    clock.advance(250); // the back-off before the second attempt
    assertInstanceOf(ElectronEvent.Finished.class, r.awaitEnd());

    List<RecordedRequest> sent = h.emulator.requests();
    assertEquals(2, sent.size());
    for (RecordedRequest s : sent) {
      assertEquals(expected, s.body());
      assertEquals(messages.size(), s.json().get("messages").size());
    }
  }
}
