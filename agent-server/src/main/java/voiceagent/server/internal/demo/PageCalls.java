package voiceagent.server.internal.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.Call;
import voiceagent.core.CallEvent;
import voiceagent.core.VoiceAgent;

/**
 * Starts a {@link VoiceAgent} call for each page that connects, on the page socket's own context, and sends the
 * call's events to the page in the page protocol ({@link PageEvents}); the page's typed turns go into the call.
 *
 * <p>Thread contract: {@link #start} runs on the socket's context; each call's events are handled one at a time on a
 * Reactor worker (the {@link Call#events()} contract), so a call's {@link PageTally} needs no lock.
 */
public final class PageCalls implements DemoServer.CallStarter {
  private static final Logger log = LoggerFactory.getLogger(PageCalls.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VoiceAgent agent;

  public PageCalls(VoiceAgent agent) {
    this.agent = agent;
  }

  @Override
  public void start(BrowserTransport transport) {
    Call[] call = new Call[1]; // typed turns arrive on the loop after startCall returned
    transport.onTypedTurn(text -> call[0].sendText(text));
    call[0] = agent.startCall(Vertx.currentContext(), transport, transport.callId(), Map.of());
    PageTally tally = new PageTally();
    call[0].events().subscribe(event -> {
      ObjectNode page = toPage(event, tally);
      if (page != null) transport.sendEvent(page);
    }, error -> {
      log.atWarn().addKeyValue("call_id", transport.callId()).setCause(error).log("call failed");
      transport.sendEvent(PageEvents.error("the call failed: " + error.getMessage()));
    });
  }

  /** One call event as the page shows it, or null for events the page does not show. */
  static ObjectNode toPage(CallEvent event, PageTally tally) {
    return switch (event) {
      case CallEvent.TranscriptPartial p -> PageEvents.transcript(tally.heard(p.text(), false), false);
      case CallEvent.TranscriptFinal f -> PageEvents.transcript(tally.heard(f.text(), true), false);
      case CallEvent.TurnStarted t -> {
        tally.turnStarted();
        yield PageEvents.transcript(t.userText(), true);
      }
      case CallEvent.SpeechStarted s -> PageEvents.agent(s.turn(), s.text(), s.kind().name().toLowerCase(Locale.ROOT));
      case CallEvent.Interrupted i -> PageEvents.interrupted(i.turn(), i.heardText());
      case CallEvent.ToolCallStarted t -> PageEvents.toolStarted(t.turn(), t.callId(), t.name(), parse(t.arguments()));
      case CallEvent.ToolCallFinished t ->
          PageEvents.toolFinished(t.turn(), t.callId(), t.name(), t.durationMillis(), t.error());
      case CallEvent.TurnLatency l -> latency(l);
      case CallEvent.UsageRecorded u -> {
        tally.usage(u.promptTokens(), u.cachedTokens(), u.costUsd());
        yield null;
      }
      case CallEvent.TurnEnded e -> tally.turnEnded(e.turn());
      // Not shown: speech start/stop, resumptions, DTMF, the call's start and end (the transport's hangup message
      // tells the page), and events added to the call later.
      default -> null;
    };
  }

  /**
   * The waterfall, each stage counted from the end of the user's speech: the session reports consecutive hops (-1 for
   * a hop that did not happen), so a stage's time is the sum of the hops up to it.
   */
  private static ObjectNode latency(CallEvent.TurnLatency l) {
    boolean typed = l.sttFinalMillis() < 0;
    long stt = hop(l.sttFinalMillis());
    long token = stt + hop(l.endpointingMillis()) + hop(l.firstTokenMillis());
    long audio = token + hop(l.firstSegmentMillis()) + hop(l.firstAudioMillis());
    long played = audio + hop(l.firstFrameSentMillis()) + hop(l.firstFramePlayedMillis());
    return PageEvents.latency(l.turn(), typed, typed ? null : stt, l.firstTokenMillis() < 0 ? null : token,
        l.firstAudioMillis() < 0 ? null : audio, l.firstFramePlayedMillis() < 0 ? null : played);
  }

  private static long hop(long millis) {
    return Math.max(0, millis);
  }

  private static JsonNode parse(String arguments) {
    try {
      return arguments == null ? null : JSON.readTree(arguments);
    } catch (IOException e) {
      return null; // the page shows no arguments; the tool itself answers the model with an error result
    }
  }

  /**
   * What the page needs summed over a call: the user's words so far in the current utterance (finals joined, then
   * the live partial), each turn's cost, the call's cost and cache ratio.
   *
   * <p>Thread contract: not thread-safe; fed one event at a time.
   */
  static final class PageTally {
    private final StringBuilder finals = new StringBuilder();
    private BigDecimal turnUsd = BigDecimal.ZERO;
    private BigDecimal callUsd = BigDecimal.ZERO;
    private long promptTokens;
    private long cachedTokens;

    /** The utterance so far: the finals heard, then {@code text} (a partial, or a final that joins them). */
    String heard(String text, boolean isFinal) {
      String sofar = finals.isEmpty() ? text : text.isEmpty() ? finals.toString() : finals + " " + text;
      if (isFinal && !text.isEmpty()) {
        finals.setLength(0);
        finals.append(sofar);
      }
      return sofar;
    }

    void turnStarted() {
      finals.setLength(0);
    }

    void usage(int prompt, int cached, BigDecimal usd) {
      promptTokens += prompt;
      cachedTokens += cached;
      turnUsd = turnUsd.add(usd);
    }

    ObjectNode turnEnded(int turn) {
      callUsd = callUsd.add(turnUsd);
      ObjectNode cost = PageEvents.cost(turn, turnUsd, callUsd,
          promptTokens == 0 ? 0 : (double) cachedTokens / promptTokens);
      turnUsd = BigDecimal.ZERO;
      return cost;
    }
  }
}
