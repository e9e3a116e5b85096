package voiceagent.server.internal.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The call's events as the demo page reads them: one JSON object per text frame, {@code type} first. The names and
 * fields are the page protocol in {@code docs/ARCHITECTURE.md} ("Browser demo").
 *
 * <p>Thread contract: stateless.
 */
public final class PageEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PageEvents() {}

  /**
   * The user's current utterance: so far ({@code final=false}, shown greyed, replacing the previous one) or whole, as
   * its turn starts ({@code final=true}). A typed turn is sent as a final.
   */
  public static ObjectNode transcript(String text, boolean isFinal) {
    return event("transcript").put("text", text).put("final", isFinal);
  }

  /** A piece of the agent's speech in {@code turn}; the page joins a turn's pieces into one utterance. */
  public static ObjectNode agent(int turn, String text, String kind) {
    return event("agent").put("turn", turn).put("text", text).put("kind", kind);
  }

  /** The user talked over the agent's answer in {@code turn}; {@code heard} is what had played. */
  public static ObjectNode interrupted(int turn, String heard) {
    return event("interrupted").put("turn", turn).put("heard", heard);
  }

  /** A tool call started; {@code arguments} is null when the model's arguments did not parse. */
  public static ObjectNode toolStarted(int turn, String id, String name, JsonNode arguments) {
    ObjectNode o = event("tool_started").put("turn", turn).put("id", id).put("name", name);
    o.set("arguments", arguments);
    return o;
  }

  public static ObjectNode toolFinished(int turn, String id, String name, long millis, boolean error) {
    return event("tool_finished").put("turn", turn).put("id", id).put("name", name).put("ms", millis)
        .put("error", error);
  }

  /**
   * A turn's latency waterfall, each stage in milliseconds after the end of the user's speech (or after the typed
   * text arrived, {@code typed}); null for a stage the turn did not reach.
   */
  public static ObjectNode latency(int turn, boolean typed, Long sttFinal, Long firstToken, Long firstAudio,
      Long played) {
    ObjectNode o = event("latency").put("turn", turn).put("typed", typed);
    o.put("stt_final_ms", sttFinal);
    o.put("first_token_ms", firstToken);
    o.put("first_audio_ms", firstAudio);
    o.put("played_ms", played);
    return o;
  }

  /**
   * A turn's cost, the call's running cost (USD as exact decimal strings: a JavaScript number would print a small
   * cost as {@code 1.2e-7}), and the share of the call's prompt tokens served from cache.
   */
  public static ObjectNode cost(int turn, BigDecimal turnUsd, BigDecimal callUsd, double cacheRatio) {
    return event("cost").put("turn", turn).put("turn_usd", turnUsd.toPlainString())
        .put("call_usd", callUsd.toPlainString()).put("cache_ratio", Math.round(cacheRatio * 1000) / 1000.0);
  }

  public static ObjectNode error(String message) {
    return event("error").put("message", message);
  }

  private static ObjectNode event(String type) {
    return JSON.createObjectNode().put("type", type);
  }
}
