package voiceagent.audio;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;
import voiceagent.common.Secret;

/**
 * Settings of the Lightning text-to-speech client: where the service is, the key, and the voice parameters sent with
 * every request. The sample rate is not here: each stream asks for the rate of its transport (see
 * {@link #supportsSampleRate(int)}).
 *
 * <p>Thread contract: immutable.
 *
 * @param baseUrl               {@code wss://} or {@code ws://} origin of the service ({@code LIGHTNING_BASE_URL});
 *                              HTTP and SSE use the matching {@code https://}/{@code http://} origin
 * @param wsPath                WebSocket path, {@code /waves/v1/tts/live}
 * @param httpPath              synchronous HTTP path, {@code /waves/v1/tts}
 * @param ssePath               SSE path, {@code /waves/v1/tts/live}
 * @param apiKey                Bearer key ({@code SMALLEST_API_KEY}); {@code null} only where no key is needed
 * @param model                 model id in underscore form, {@code lightning_v3.1}
 * @param voiceId               voice id, e.g. {@code magnus}
 * @param language              language code, e.g. {@code en}
 * @param speed                 0.5..2.0
 * @param wordTimestamps        ask for {@code word_timestamp} frames (only some voices send them)
 * @param idleTimeoutSeconds    server idle close, sent as {@code ?timeout=}; 0 keeps the server default (60 s)
 * @param maxBufferFlushMillis  {@code max_buffer_flush_ms}, 0..1000; 0 gives the lowest latency
 * @param completeBackoffMillis {@code complete_backoff_ms}, 0..10000; the server default of 4000 delays
 *                              {@code complete} by 4 s after the last audio, so the client asks for less
 * @param connectTimeoutMillis  deadline for the WebSocket handshake or the HTTP response head
 * @param firstAudioTimeoutMillis deadline from flush to the first audio chunk; 0 disables it
 */
public record LightningConfig(
    String baseUrl, String wsPath, String httpPath, String ssePath, Secret apiKey, String model, String voiceId,
    String language, double speed, boolean wordTimestamps, int idleTimeoutSeconds, int maxBufferFlushMillis,
    int completeBackoffMillis, long connectTimeoutMillis, long firstAudioTimeoutMillis) {

  public static final String DEFAULT_BASE_URL = "wss://api.smallest.ai";
  /** Sample rates Lightning produces directly; anything else would need resampling on our side. */
  private static final Set<Integer> SAMPLE_RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);

  public LightningConfig {
    URI uri = parse(baseUrl);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!Set.of("ws", "wss", "http", "https").contains(scheme) || uri.getHost() == null) {
      throw AgentException.config("lightning.base_url", baseUrl, "expected ws://, wss://, http:// or https:// and a host");
    }
    requirePath("lightning.ws_path", wsPath);
    requirePath("lightning.http_path", httpPath);
    requirePath("lightning.sse_path", ssePath);
    requireText("lightning.model", model);
    requireText("lightning.voice_id", voiceId);
    requireText("lightning.language", language);
    if (!(speed >= 0.5 && speed <= 2.0)) throw AgentException.config("lightning.speed", speed, "expected 0.5..2.0");
    if (idleTimeoutSeconds < 0 || idleTimeoutSeconds > 3600) {
      throw AgentException.config("lightning.idle_timeout_seconds", idleTimeoutSeconds, "expected 0..3600");
    }
    if (maxBufferFlushMillis < 0 || maxBufferFlushMillis > 1000) {
      throw AgentException.config("lightning.max_buffer_flush_ms", maxBufferFlushMillis, "expected 0..1000");
    }
    if (completeBackoffMillis < 0 || completeBackoffMillis > 10_000) {
      throw AgentException.config("lightning.complete_backoff_ms", completeBackoffMillis, "expected 0..10000");
    }
    if (connectTimeoutMillis <= 0) {
      throw AgentException.config("lightning.connect_timeout_ms", connectTimeoutMillis, "must be positive");
    }
    if (firstAudioTimeoutMillis < 0) {
      throw AgentException.config("lightning.first_audio_timeout_ms", firstAudioTimeoutMillis, "must be >= 0");
    }
    baseUrl = stripSlash(baseUrl.strip());
  }

  /** Defaults for the public service, without a key. */
  public static LightningConfig defaults() {
    return new LightningConfig(DEFAULT_BASE_URL, "/waves/v1/tts/live", "/waves/v1/tts", "/waves/v1/tts/live", null,
        "lightning_v3.1", "magnus", "en", 1.0, true, 0, 0, 200, 10_000, 5_000);
  }

  /**
   * Defaults overridden by the environment: {@code LIGHTNING_BASE_URL}, {@code SMALLEST_API_KEY},
   * {@code LIGHTNING_VOICE_ID}, {@code LIGHTNING_MODEL}.
   */
  public static LightningConfig fromEnv(Map<String, String> env) {
    LightningConfig d = defaults();
    String base = env.getOrDefault("LIGHTNING_BASE_URL", "");
    String voice = env.getOrDefault("LIGHTNING_VOICE_ID", "");
    String model = env.getOrDefault("LIGHTNING_MODEL", "");
    return new LightningConfig(base.isBlank() ? d.baseUrl : base, d.wsPath, d.httpPath, d.ssePath,
        Secret.ofNullable(env.get("SMALLEST_API_KEY")), model.isBlank() ? d.model : model,
        voice.isBlank() ? d.voiceId : voice, d.language, d.speed, d.wordTimestamps, d.idleTimeoutSeconds,
        d.maxBufferFlushMillis, d.completeBackoffMillis, d.connectTimeoutMillis, d.firstAudioTimeoutMillis);
  }

  /**
   * Reads the {@code lightning} section of the configuration ({@code base_url}, {@code api_key}, {@code model},
   * {@code voice_id}, {@code language}, {@code speed}, {@code word_timestamps}, {@code idle_timeout_s}); absent keys
   * keep their defaults.
   */
  public static LightningConfig from(ConfigTree lightning) {
    LightningConfig d = defaults();
    return new LightningConfig(lightning.string("base_url", d.baseUrl), d.wsPath, d.httpPath, d.ssePath,
        Secret.ofNullable(lightning.string("api_key", null)), lightning.string("model", d.model),
        lightning.string("voice_id", d.voiceId), lightning.string("language", d.language),
        lightning.decimal("speed", d.speed), lightning.bool("word_timestamps", d.wordTimestamps),
        lightning.integer("idle_timeout_s", d.idleTimeoutSeconds), d.maxBufferFlushMillis, d.completeBackoffMillis,
        d.connectTimeoutMillis, d.firstAudioTimeoutMillis);
  }

  /** Whether Lightning can produce {@code sampleRate} itself. */
  public static boolean supportsSampleRate(int sampleRate) {
    return SAMPLE_RATES.contains(sampleRate);
  }

  public LightningConfig withBaseUrl(String url) {
    return new LightningConfig(url, wsPath, httpPath, ssePath, apiKey, model, voiceId, language, speed,
        wordTimestamps, idleTimeoutSeconds, maxBufferFlushMillis, completeBackoffMillis, connectTimeoutMillis,
        firstAudioTimeoutMillis);
  }

  public LightningConfig withApiKey(Secret key) {
    return new LightningConfig(baseUrl, wsPath, httpPath, ssePath, key, model, voiceId, language, speed,
        wordTimestamps, idleTimeoutSeconds, maxBufferFlushMillis, completeBackoffMillis, connectTimeoutMillis,
        firstAudioTimeoutMillis);
  }

  public LightningConfig withVoiceId(String voice) {
    return new LightningConfig(baseUrl, wsPath, httpPath, ssePath, apiKey, model, voice, language, speed,
        wordTimestamps, idleTimeoutSeconds, maxBufferFlushMillis, completeBackoffMillis, connectTimeoutMillis,
        firstAudioTimeoutMillis);
  }

  public LightningConfig withHttpPath(String path) {
    return new LightningConfig(baseUrl, wsPath, path, ssePath, apiKey, model, voiceId, language, speed,
        wordTimestamps, idleTimeoutSeconds, maxBufferFlushMillis, completeBackoffMillis, connectTimeoutMillis,
        firstAudioTimeoutMillis);
  }

  /** Timing knobs in one call: idle close, {@code complete} back-off and the first-audio deadline. */
  public LightningConfig withTimings(int idleSeconds, int completeBackoff, long firstAudioTimeout) {
    return new LightningConfig(baseUrl, wsPath, httpPath, ssePath, apiKey, model, voiceId, language, speed,
        wordTimestamps, idleSeconds, maxBufferFlushMillis, completeBackoff, connectTimeoutMillis, firstAudioTimeout);
  }

  /** The WebSocket URI, with {@code ?timeout=} when an idle timeout is configured. */
  public URI webSocketUri() {
    URI base = parse(baseUrl);
    String scheme = switch (base.getScheme().toLowerCase()) {
      case "http" -> "ws";
      case "https" -> "wss";
      default -> base.getScheme().toLowerCase();
    };
    String query = idleTimeoutSeconds > 0 ? "?timeout=" + idleTimeoutSeconds : "";
    return URI.create(scheme + "://" + base.getRawAuthority() + nonEmpty(base.getRawPath()) + wsPath + query);
  }

  /** The URI of an HTTP-mode path ({@link #httpPath()} or {@link #ssePath()}), on https/http. */
  public URI httpUri(String path) {
    URI base = parse(baseUrl);
    String scheme = switch (base.getScheme().toLowerCase()) {
      case "ws", "http" -> "http";
      default -> "https";
    };
    return URI.create(scheme + "://" + base.getRawAuthority() + nonEmpty(base.getRawPath()) + path);
  }

  private static URI parse(String url) {
    if (url == null || url.isBlank()) throw AgentException.config("lightning.base_url", url, "a URL is required");
    try {
      return URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw AgentException.config("lightning.base_url", url, "not a valid URL");
    }
  }

  private static String nonEmpty(String path) {
    return path == null ? "" : stripSlash(path);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static void requirePath(String key, String path) {
    if (path == null || !path.startsWith("/")) throw AgentException.config(key, path, "expected a path starting with /");
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) throw AgentException.config(key, value, "must not be blank");
  }
}
