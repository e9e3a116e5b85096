package voiceagent.audio;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import voiceagent.common.AgentException;
import voiceagent.common.config.ConfigTree;
import voiceagent.common.Secret;

/**
 * Settings of the Pulse streaming speech-to-text client: where the server is, the query options, and how the stream
 * batches, keeps alive and reconnects.
 *
 * <p>Thread contract: immutable.
 *
 * @param baseUrl               scheme and host ({@code wss://api.smallest.ai}); env {@code PULSE_BASE_URL}
 * @param path                  {@value #LIVE_PATH}, or the older {@value #LEGACY_PATH} (then no {@code model})
 * @param model                 {@code pulse}
 * @param language              always sent: the server's default is not documented consistently
 * @param wordTimestamps        always sent, for the same reason; word ends also tell what the server acknowledged
 * @param vadEvents             ask for {@code speech_started} / {@code speech_ended}
 * @param endpointing           let the server finalize a segment on trailing silence
 * @param eouTimeoutMs          trailing silence before an automatic final (100..10000), or {@code null} to omit
 * @param keywords              boosted words ({@code "Word:2"}); the parameter is omitted when the list is empty
 * @param extraQuery            further query parameters, sent as given (after the ones above)
 * @param apiKey                sent as a Bearer token, or {@code null} for servers without auth; env
 *                              {@code SMALLEST_API_KEY}
 * @param finalizeTimeoutMillis how long to wait for the answer to {@code finalize} or {@code close_stream}
 * @param batchMillis           audio per binary frame (the vendor recommends 50..300 ms)
 * @param maxReconnectAttempts  tries after an unexpected close before the stream fails
 * @param reconnectBackoffMillis delay before the first try, doubled for each further one
 * @param replayBufferMillis    recent audio kept to replay what the server had not acknowledged
 * @param pingIntervalMillis    WebSocket ping period, 0 for none
 * @param connectTimeoutMillis  bound on the TCP connect and the upgrade
 */
public record PulseConfig(String baseUrl, String path, String model, String language, boolean wordTimestamps,
    boolean vadEvents, boolean endpointing, Integer eouTimeoutMs, List<String> keywords,
    Map<String, String> extraQuery, Secret apiKey, int finalizeTimeoutMillis, int batchMillis,
    int maxReconnectAttempts, long reconnectBackoffMillis, int replayBufferMillis, int pingIntervalMillis,
    int connectTimeoutMillis) {

  public static final String DEFAULT_BASE_URL = "wss://api.smallest.ai";
  public static final String LIVE_PATH = "/waves/v1/stt/live";
  public static final String LEGACY_PATH = "/waves/v1/pulse/get_text";
  public static final String ENV_API_KEY = "SMALLEST_API_KEY";
  public static final String ENV_BASE_URL = "PULSE_BASE_URL";

  public PulseConfig {
    URI base = parseBase(baseUrl);
    if (base.getPath() != null && !base.getPath().isEmpty() && !base.getPath().equals("/")) {
      throw AgentException.config("pulse.base_url", baseUrl, "give scheme and host only; the path is pulse.path");
    }
    if (path == null || !path.startsWith("/")) throw AgentException.config("pulse.path", path, "expected /...");
    if (!isLegacy(path) && (model == null || model.isBlank())) {
      throw AgentException.config("pulse.model", model, "required on " + path);
    }
    if (language == null || language.isBlank()) throw AgentException.config("pulse.language", language, "required");
    if (eouTimeoutMs != null && (eouTimeoutMs < 100 || eouTimeoutMs > 10_000)) {
      throw AgentException.config("pulse.eou_timeout_ms", eouTimeoutMs, "expected 100..10000");
    }
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
    for (String k : keywords) {
      if (k.isBlank() || k.contains(",")) throw AgentException.config("pulse.keywords", k, "expected Word or Word:N");
    }
    extraQuery = extraQuery == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraQuery));
    for (String k : extraQuery.keySet()) {
      if (k == null || k.isBlank()) throw AgentException.config("pulse.extra_query", k, "blank parameter name");
    }
    require("pulse.finalize_timeout_millis", finalizeTimeoutMillis, 1, 60_000);
    require("pulse.batch_millis", batchMillis, 10, 500);
    require("pulse.max_reconnect_attempts", maxReconnectAttempts, 0, 20);
    require("pulse.reconnect_backoff_millis", reconnectBackoffMillis, 0, 60_000);
    require("pulse.replay_buffer_millis", replayBufferMillis, 0, 60_000);
    require("pulse.ping_interval_millis", pingIntervalMillis, 0, 600_000);
    require("pulse.connect_timeout_millis", connectTimeoutMillis, 1, 120_000);
  }

  /** The documented defaults: {@code pulse}, English, word timestamps and VAD events on, no key. */
  public static PulseConfig defaults() {
    return new PulseConfig(DEFAULT_BASE_URL, LIVE_PATH, "pulse", "en", true, true, true, null, List.of(), Map.of(),
        null, 1000, 100, 5, 1000, 5000, 5000, 10_000);
  }

  /** {@link #defaults()} with {@code SMALLEST_API_KEY} and {@code PULSE_BASE_URL} taken from {@code env} when set. */
  public static PulseConfig fromEnv(Map<String, String> env) {
    PulseConfig c = defaults();
    String base = env.get(ENV_BASE_URL);
    if (base != null && !base.isBlank()) c = c.withBaseUrl(base.strip());
    return c.withApiKey(Secret.ofNullable(env.get(ENV_API_KEY)));
  }

  /**
   * Reads the {@code pulse} section of the configuration ({@code base_url}, {@code path}, {@code api_key},
   * {@code model}, {@code language}, {@code word_timestamps}, {@code vad_events}, {@code endpointing},
   * {@code eou_timeout_ms}, {@code keywords}); absent keys keep their defaults.
   */
  public static PulseConfig from(ConfigTree pulse) {
    PulseConfig d = defaults();
    List<String> keywords = new java.util.ArrayList<>();
    pulse.node().path("keywords").forEach(k -> keywords.add(k.asText()));
    Integer eou = pulse.has("eou_timeout_ms") ? Integer.valueOf(pulse.integer("eou_timeout_ms", 0)) : d.eouTimeoutMs;
    return new PulseConfig(pulse.string("base_url", d.baseUrl), pulse.string("path", d.path),
        pulse.string("model", d.model), pulse.string("language", d.language),
        pulse.bool("word_timestamps", d.wordTimestamps), pulse.bool("vad_events", d.vadEvents),
        pulse.bool("endpointing", d.endpointing), eou, keywords.isEmpty() ? d.keywords : keywords, d.extraQuery,
        Secret.ofNullable(pulse.string("api_key", null)), d.finalizeTimeoutMillis, d.batchMillis,
        d.maxReconnectAttempts, d.reconnectBackoffMillis, d.replayBufferMillis, d.pingIntervalMillis,
        d.connectTimeoutMillis);
  }

  /** Whether {@code path} is the older endpoint, which takes no {@code model} parameter. */
  public static boolean isLegacy(String path) {
    return path.endsWith("/pulse/get_text");
  }

  /** The parsed base URL: scheme {@code ws} or {@code wss}, and a host. */
  public URI base() {
    return parseBase(baseUrl);
  }

  /** Path and query for audio in {@code format}; it can carry extra parameters, so never log it. */
  public String requestUri(AudioFormat format) {
    Map<String, String> q = new LinkedHashMap<>();
    if (!isLegacy(path)) q.put("model", model);
    q.put("language", language);
    q.put("encoding", encodingName(format));
    q.put("sample_rate", Integer.toString(format.sampleRate()));
    q.put("word_timestamps", Boolean.toString(wordTimestamps));
    q.put("vad_events", Boolean.toString(vadEvents));
    q.put("endpointing", Boolean.toString(endpointing));
    if (eouTimeoutMs != null) q.put("eou_timeout_ms", eouTimeoutMs.toString());
    if (!keywords.isEmpty()) q.put("keywords", String.join(",", keywords));
    q.putAll(extraQuery);
    StringBuilder uri = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : q.entrySet()) {
      uri.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return uri.toString();
  }

  /** The {@code encoding} query value for {@code format}, or a config error naming the formats Pulse accepts. */
  public static String encodingName(AudioFormat format) {
    if (format.channels() != 1) throw AgentException.config("pulse.audio.channels", format.channels(), "Pulse takes mono");
    int rate = format.sampleRate();
    if (rate != 8000 && rate != 16000 && rate != 22050 && rate != 24000 && rate != 44100 && rate != 48000) {
      throw AgentException.config("pulse.audio.sample_rate", rate,
          "Pulse does not resample; accepted: 8000, 16000, 22050, 24000, 44100, 48000");
    }
    return switch (format.encoding()) {
      case PCM16_LE -> "linear16";
      case MULAW -> "mulaw";
      case ALAW -> "alaw";
      case PCM16_BE -> throw AgentException.config("pulse.audio.encoding", format.encoding(),
          "convert to PCM16_LE first; Pulse accepts PCM16_LE (linear16), MULAW (mulaw), ALAW (alaw)");
    };
  }

  public PulseConfig withBaseUrl(String url) {
    return new PulseConfig(url, path, model, language, wordTimestamps, vadEvents, endpointing, eouTimeoutMs, keywords,
        extraQuery, apiKey, finalizeTimeoutMillis, batchMillis, maxReconnectAttempts, reconnectBackoffMillis,
        replayBufferMillis, pingIntervalMillis, connectTimeoutMillis);
  }

  public PulseConfig withPath(String p) {
    return new PulseConfig(baseUrl, p, model, language, wordTimestamps, vadEvents, endpointing, eouTimeoutMs, keywords,
        extraQuery, apiKey, finalizeTimeoutMillis, batchMillis, maxReconnectAttempts, reconnectBackoffMillis,
        replayBufferMillis, pingIntervalMillis, connectTimeoutMillis);
  }

  public PulseConfig withApiKey(Secret key) {
    return new PulseConfig(baseUrl, path, model, language, wordTimestamps, vadEvents, endpointing, eouTimeoutMs,
        keywords, extraQuery, key, finalizeTimeoutMillis, batchMillis, maxReconnectAttempts, reconnectBackoffMillis,
        replayBufferMillis, pingIntervalMillis, connectTimeoutMillis);
  }

  public PulseConfig withLanguage(String lang) {
    return new PulseConfig(baseUrl, path, model, lang, wordTimestamps, vadEvents, endpointing, eouTimeoutMs, keywords,
        extraQuery, apiKey, finalizeTimeoutMillis, batchMillis, maxReconnectAttempts, reconnectBackoffMillis,
        replayBufferMillis, pingIntervalMillis, connectTimeoutMillis);
  }

  public PulseConfig withQuery(boolean words, boolean vad, boolean endpoint, Integer eouMs, List<String> keys,
      Map<String, String> extra) {
    return new PulseConfig(baseUrl, path, model, language, words, vad, endpoint, eouMs, keys, extra, apiKey,
        finalizeTimeoutMillis, batchMillis, maxReconnectAttempts, reconnectBackoffMillis, replayBufferMillis,
        pingIntervalMillis, connectTimeoutMillis);
  }

  /** Copy with other stream timings: finalize/close wait, batch size, reconnect policy, replay buffer and pings. */
  public PulseConfig withTimings(int finalizeTimeout, int batch, int maxReconnects, long backoff, int replayBuffer,
      int pingInterval) {
    return new PulseConfig(baseUrl, path, model, language, wordTimestamps, vadEvents, endpointing, eouTimeoutMs,
        keywords, extraQuery, apiKey, finalizeTimeout, batch, maxReconnects, backoff, replayBuffer, pingInterval,
        connectTimeoutMillis);
  }

  private static URI parseBase(String url) {
    if (url == null) throw AgentException.config("pulse.base_url", null, "required, e.g. " + DEFAULT_BASE_URL);
    try {
      URI u = new URI(url);
      if (!"ws".equals(u.getScheme()) && !"wss".equals(u.getScheme()) || u.getHost() == null) {
        throw AgentException.config("pulse.base_url", url, "expected ws://host[:port] or wss://host[:port]");
      }
      return u;
    } catch (URISyntaxException e) {
      throw AgentException.config("pulse.base_url", url, "not a URL: " + e.getReason());
    }
  }

  private static void require(String key, long value, long min, long max) {
    if (value < min || value > max) throw AgentException.config(key, value, "expected " + min + ".." + max);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
