package voiceagent.server.internal.demo;

import java.math.BigDecimal;
import java.util.Map;
import voiceagent.core.Agent;
import voiceagent.core.AgentEvent;
import voiceagent.core.Conversation;
import voiceagent.core.spi.MediaTransport;

/**
 * A stand-in call for the page tests that need no voice session: typed turns go through a text {@link Conversation}
 * and its events reach the page in the page protocol; audio from the page is ignored.
 *
 * <p>Thread contract: {@link #start} runs on the socket's context; the conversation's events arrive on a Reactor worker
 * and are written with the thread-safe {@link BrowserTransport#sendEvent}.
 */
final class TypedTurnStub implements DemoServer.CallStarter {
  private final Agent agent;

  TypedTurnStub(Agent agent) {
    this.agent = agent;
  }

  @Override
  public void start(BrowserTransport transport) {
    Conversation conversation = agent.newConversation(transport.callId(), Map.of());
    int[] turns = {0};
    BigDecimal[] callCost = {BigDecimal.ZERO};
    long[] tokens = {0, 0}; // prompt, cached
    transport.onTypedTurn(text -> {
      int turn = ++turns[0];
      long start = System.nanoTime();
      long[] firstToken = {-1};
      transport.sendEvent(PageEvents.transcript(text, true));
      conversation.send(text).subscribe(event -> {
        switch (event) {
          case AgentEvent.SpeechReady s -> {
            if (firstToken[0] < 0) firstToken[0] = (System.nanoTime() - start) / 1_000_000;
            transport.sendEvent(PageEvents.agent(turn, s.text(), s.kind().name().toLowerCase()));
          }
          case AgentEvent.ToolCallStarted t ->
              transport.sendEvent(PageEvents.toolStarted(turn, t.callId(), t.name(), t.arguments()));
          case AgentEvent.ToolCallFinished t ->
              transport.sendEvent(PageEvents.toolFinished(turn, t.callId(), t.name(), t.durationMillis(), t.error()));
          case AgentEvent.UsageRecorded u -> {
            tokens[0] += u.promptTokens();
            tokens[1] += u.cachedTokens();
          }
          case AgentEvent.TurnFinished f -> {
            callCost[0] = callCost[0].add(f.costUsd());
            transport.sendEvent(PageEvents.latency(turn, true, null, firstToken[0] < 0 ? null : firstToken[0], null, null));
            transport.sendEvent(PageEvents.cost(turn, f.costUsd(), callCost[0],
                tokens[0] == 0 ? 0 : (double) tokens[1] / tokens[0]));
          }
          default -> { }
        }
      });
    });
    transport.start(new MediaTransport.TransportSink() {
      @Override public void onAudio(byte[] data, int off, int len) { }
      @Override public void onMarkPlayed(String name) { }
      @Override public void onCleared() { }
      @Override public void onDtmf(String digits) { }
      @Override public void onHangUp(String reason) { conversation.cancelTurn(); }
    });
  }
}
