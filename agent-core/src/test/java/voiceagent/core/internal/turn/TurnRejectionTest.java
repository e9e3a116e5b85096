package voiceagent.core.internal.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.core.AgentConfig;
import voiceagent.core.AgentEvent;
import voiceagent.core.AgentEvent.SpeechKind;
import voiceagent.core.ChatMessage;
import voiceagent.core.HistoryBudget;
import voiceagent.testkit.electron.ElectronReply;
import voiceagent.testkit.electron.RecordedRequest;

/** A failed turn never poisons the conversation; text streamed before an error is kept. */
class TurnRejectionTest {
  @RegisterExtension final EngineHarness h = new EngineHarness();

  private static final String FALLBACK = "Sorry, I ran into a problem. Could you say that again?";

  private List<ChatMessage> history() throws Exception {
    return h.onLoop(() -> h.engine.history());
  }

  private void answeredTurns(int n) throws Exception {
    for (int i = 1; i <= n; i++) {
      assertEquals("answered", ((AgentEvent.TurnFinished) h.start("Earlier question " + i + ".").finish().getLast())
          .outcome());
    }
  }

  private double count(String meter, String tag, String value) {
    Counter c = h.meters.find(meter).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static String spoken(List<AgentEvent> events, SpeechKind kind) {
    return String.join(" ", events.stream().filter(AgentEvent.SpeechReady.class::isInstance)
        .map(AgentEvent.SpeechReady.class::cast).filter(s -> s.kind() == kind).map(AgentEvent.SpeechReady::text)
        .toList());
  }

  @Test
  void aContextLengthRejectionCompactsTheHistoryAndRetriesOnce() throws Exception {
    h.engine(AgentConfig.builder("You are a test agent.").build());
    answeredTurns(6);
    h.emulator.enqueue(ElectronReply.contextLengthExceeded(), ElectronReply.text("Here you go."));

    List<AgentEvent> events = h.start("And one more thing.").finish();

    AgentEvent.TurnFinished done = (AgentEvent.TurnFinished) events.getLast();
    assertEquals("answered", done.outcome(), events.toString());
    assertEquals(2, done.rounds(), "the rejected request and its one retry");
    List<RecordedRequest> requests = h.emulator.requests();
    int rejected = requests.get(requests.size() - 2).json().get("messages").size();
    int retried = requests.getLast().json().get("messages").size();
    assertTrue(retried <= rejected / 2 + 1, "dropped in one large step: " + rejected + " -> " + retried);
    assertEquals("And one more thing.", requests.getLast().lastUserText());
    assertEquals(1, count("voice_agent_history_compactions_total", "reason", "context_length"));
    assertEquals(0, count("voice_agent_prefix_changes_total", "scope", "call"));
  }

  @Test
  void anOverlongUtteranceRejectedForContextLengthIsTrimmedAndAnswered() throws Exception {
    // A 4,000-token window (a small self-hosted model) and a budget to match; the utterance alone overflows it.
    h.emulator.contextWindow(4_000);
    h.engine(AgentConfig.builder("You are a test agent.").history(new HistoryBudget(120, 3_000)).build());
    String utterance = String.join(" ", Collections.nCopies(6_000, "word"));
    h.emulator.enqueue(ElectronReply.text("That was a lot."));

    List<AgentEvent> events = h.start(utterance).finish();

    assertEquals("answered", ((AgentEvent.TurnFinished) events.getLast()).outcome(), events.toString());
    List<RecordedRequest> requests = h.emulator.requests();
    assertEquals(2, requests.size(), "rejected by the emulator's own context check, then retried once");
    String sent = requests.getLast().lastUserText();
    assertTrue(sent.length() < utterance.length() / 4 && sent.endsWith(" …"), "trimmed: " + sent.length());
    h.emulator.enqueue(ElectronReply.text("Sure."));
    assertEquals("answered", ((AgentEvent.TurnFinished) h.start("short question").finish().getLast()).outcome());
  }

  @Test
  void anyOtherRejectionLeavesTheHistoryAsItWasBeforeTheTurn() throws Exception {
    h.engine(AgentConfig.builder("You are a test agent.").build());
    answeredTurns(2);
    List<ChatMessage> before = history();
    h.emulator.enqueue(ElectronReply.status(400));

    List<AgentEvent> failed = h.start("a message the server refuses").finish();

    assertEquals(400, ((AgentEvent.TurnFailed) failed.get(failed.size() - 2)).error().status());
    assertEquals(FALLBACK, spoken(failed, SpeechKind.FALLBACK));
    assertEquals(before, history(), "the rejected user message was taken back");
    h.emulator.enqueue(ElectronReply.text("Fine now."));
    assertEquals("answered", ((AgentEvent.TurnFinished) h.start("next").finish().getLast()).outcome());
    assertFalse(h.emulator.requests().getLast().body().contains("the server refuses"));
    assertEquals(0, count("voice_agent_prefix_changes_total", "scope", "call"), "taking back is not a violation");
  }

  @Test
  void aSecondContextLengthRejectionFailsTheTurnAndTakesItBack() throws Exception {
    h.engine(AgentConfig.builder("You are a test agent.").build());
    answeredTurns(4);
    h.emulator.enqueue(ElectronReply.contextLengthExceeded(), ElectronReply.contextLengthExceeded());

    List<AgentEvent> failed = h.start("too much").finish();

    assertEquals("failed", ((AgentEvent.TurnFinished) failed.getLast()).outcome());
    assertTrue(history().stream().noneMatch(m -> "too much".equals(m.content())), history().toString());
    h.emulator.enqueue(ElectronReply.text("Working again."));
    assertEquals("answered", ((AgentEvent.TurnFinished) h.start("hello?").finish().getLast()).outcome());
  }

  @Test
  void textStreamedBeforeAnErrorIsSpokenAndKeptInTheHistory() throws Exception {
    h.engine(AgentConfig.builder("You are a test agent.").build());
    h.emulator.enqueue(ElectronReply.builder().text("I found two free slots").errorChunkAfterText("upstream died")
        .build());

    List<AgentEvent> events = h.start("any slots?").finish();

    assertEquals("I found two free slots", spoken(events, SpeechKind.REPLY), "the short fragment is not dropped");
    assertEquals("", spoken(events, SpeechKind.FALLBACK), "something was said: no apology");
    assertEquals("failed", ((AgentEvent.TurnFinished) events.getLast()).outcome());
    assertEquals(List.of(ChatMessage.user("any slots?"), ChatMessage.assistant("I found two free slots", List.of())),
        history());
  }

  @Test
  void aFailingSystemPromptSupplierFailsTheTurnAndTheNextTurnWorks() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    h.engine(AgentConfig.builder(() -> {
      if (broken.get()) throw new IllegalStateException("prompt store unavailable");
      return "You are a test agent.";
    }).build());

    List<AgentEvent> failed = h.start("hello").finish();
    assertEquals(FALLBACK, spoken(failed, SpeechKind.FALLBACK));
    assertTrue(((AgentEvent.TurnFailed) failed.get(failed.size() - 2)).error().getMessage()
        .contains("prompt store unavailable"));
    assertEquals(0, h.emulator.requests().size());

    broken.set(false);
    h.emulator.enqueue(ElectronReply.text("Hi there."));
    assertEquals("answered", ((AgentEvent.TurnFinished) h.start("hello again").finish().getLast()).outcome());
    JsonNode messages = h.emulator.requests().getLast().json().get("messages");
    assertEquals("hello", messages.get(1).get("content").asText(), "not a rejection: the caller's words stay");
  }
}
