package voiceagent.core.internal.session;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.LightningClient;

/**
 * The agent's fixed lines (greeting, idle prompt, goodbye) synthesised once per text and sample rate and reused by
 * every call: the first call pays one Lightning request, the others none. A failed synthesis is forgotten, so the
 * next call tries again.
 *
 * <p>Thread contract: thread-safe. The futures complete on whatever context ran the request: callers hop back to
 * their own loop.
 */
public final class StaticLines {
  private static final Logger log = LoggerFactory.getLogger(StaticLines.class);

  private final LightningClient lightning;
  private final Map<String, Future<byte[]>> cache = new ConcurrentHashMap<>();

  public StaticLines(LightningClient lightning) {
    this.lightning = lightning;
  }

  /** PCM16 audio of {@code text} at {@code sampleRate}. */
  Future<byte[]> audio(String text, int sampleRate) {
    String key = sampleRate + "|" + text;
    return cache.computeIfAbsent(key, k -> lightning.synthesizeHttp(text, sampleRate).onFailure(e -> {
      log.atWarn().addKeyValue("sample_rate", sampleRate).addKeyValue("error", e.toString())
          .log("static line synthesis failed");
      cache.remove(k);
    }));
  }
}
