package voiceagent.core.config;

import voiceagent.common.config.ConfigTree;
import java.net.URI;
import voiceagent.common.AgentException;
import voiceagent.common.Secret;

/**
 * How to reach Electron and how patiently.
 *
 * <p>Thread contract: immutable.
 *
 * @param baseUrl                 OpenAI-style base URL; requests go to {@code {baseUrl}/chat/completions}
 *                                (env {@code ELECTRON_BASE_URL})
 * @param apiKey                  Bearer key (env {@code SMALLEST_API_KEY}); null sends no Authorization header
 * @param model                   model id (env {@code ELECTRON_MODEL})
 * @param maxConcurrency          requests in flight per key: Standard plan 3, Enterprise 20
 *                                (env {@code ELECTRON_MAX_CONCURRENCY})
 * @param maxQueueWaitMillis      longest wait for a concurrency slot before the request fails
 * @param connectTimeoutMillis    TCP/TLS connect deadline
 * @param firstTokenTimeoutMillis deadline from sending to the first streamed event (0 = none)
 * @param idleTimeoutMillis       longest gap between two reads of the stream (0 = none)
 * @param retry                   the retry policy for 429, 502, 503 and connection failures
 */
public record ElectronConfig(
    String baseUrl,
    Secret apiKey,
    String model,
    int maxConcurrency,
    long maxQueueWaitMillis,
    long connectTimeoutMillis,
    long firstTokenTimeoutMillis,
    long idleTimeoutMillis,
    RetryConfig retry) {

  public static final String DEFAULT_BASE_URL = "https://api.smallest.ai/waves/v1";

  /**
   * Retry schedule: attempt n (n ≥ 2) waits {@code min(maxBackoff, initialBackoff × 2^(n-2))}, spread by ±jitter.
   * The defaults follow Electron's guidance: 250 ms doubling to 8 s, at most 5 attempts.
   */
  public record RetryConfig(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis, double jitter) {
    public static final RetryConfig DEFAULT = new RetryConfig(5, 250, 8000, 0.2);

    public RetryConfig {
      if (maxAttempts < 1 || maxAttempts > 20) {
        throw AgentException.config("electron.retry.max_attempts", maxAttempts, "expected 1..20");
      }
      if (initialBackoffMillis < 0 || maxBackoffMillis < initialBackoffMillis) {
        throw AgentException.config("electron.retry.initial_backoff_ms", initialBackoffMillis,
            "expected 0..max_backoff_ms (" + maxBackoffMillis + ")");
      }
      if (jitter < 0 || jitter >= 1) throw AgentException.config("electron.retry.jitter", jitter, "expected 0..<1");
    }

    /** The wait before attempt {@code attempt} (2 = first retry), before jitter. */
    public long backoffMillis(int attempt) {
      long d = initialBackoffMillis;
      for (int i = 2; i < attempt && d < maxBackoffMillis; i++) d *= 2;
      return Math.min(d, maxBackoffMillis);
    }
  }

  public ElectronConfig {
    baseUrl = trimSlash(baseUrl == null ? DEFAULT_BASE_URL : baseUrl);
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw AgentException.config("electron.base_url", baseUrl, "not a URL");
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw AgentException.config("electron.base_url", baseUrl, "expected an http:// or https:// URL");
    }
    if (model == null || model.isBlank()) throw AgentException.config("electron.model", model, "must not be blank");
    if (maxConcurrency < 1 || maxConcurrency > 1000) {
      throw AgentException.config("electron.max_concurrency", maxConcurrency, "expected 1..1000");
    }
    nonNegative("electron.max_queue_wait_ms", maxQueueWaitMillis);
    if (connectTimeoutMillis <= 0) {
      throw AgentException.config("electron.connect_timeout_ms", connectTimeoutMillis, "must be positive");
    }
    nonNegative("electron.first_token_timeout_ms", firstTokenTimeoutMillis);
    nonNegative("electron.idle_timeout_ms", idleTimeoutMillis);
    if (retry == null) retry = RetryConfig.DEFAULT;
  }

  /** Production defaults: Standard plan concurrency, 10 s queue wait, 3 s connect, 10 s first token, 10 s idle. */
  public static ElectronConfig defaults() {
    return new ElectronConfig(DEFAULT_BASE_URL, null, "electron", 3, 10_000, 3_000, 10_000, 10_000,
        RetryConfig.DEFAULT);
  }

  /** Reads the {@code electron} section ({@code base_url}, {@code api_key}, {@code model}, ...). */
  public static ElectronConfig from(ConfigTree electron) {
    ElectronConfig d = defaults();
    ConfigTree r = electron.section("retry");
    RetryConfig retry = new RetryConfig(r.integer("max_attempts", d.retry.maxAttempts()),
        r.longValue("initial_backoff_ms", d.retry.initialBackoffMillis()),
        r.longValue("max_backoff_ms", d.retry.maxBackoffMillis()), r.decimal("jitter", d.retry.jitter()));
    return new ElectronConfig(electron.string("base_url", d.baseUrl),
        Secret.ofNullable(electron.string("api_key", null)), electron.string("model", d.model),
        electron.integer("max_concurrency", d.maxConcurrency),
        electron.longValue("max_queue_wait_ms", d.maxQueueWaitMillis),
        electron.longValue("connect_timeout_ms", d.connectTimeoutMillis),
        electron.longValue("first_token_timeout_ms", d.firstTokenTimeoutMillis),
        electron.longValue("idle_timeout_ms", d.idleTimeoutMillis), retry);
  }

  public ElectronConfig withBaseUrl(String url) {
    return new ElectronConfig(url, apiKey, model, maxConcurrency, maxQueueWaitMillis, connectTimeoutMillis,
        firstTokenTimeoutMillis, idleTimeoutMillis, retry);
  }

  public ElectronConfig withApiKey(Secret key) {
    return new ElectronConfig(baseUrl, key, model, maxConcurrency, maxQueueWaitMillis, connectTimeoutMillis,
        firstTokenTimeoutMillis, idleTimeoutMillis, retry);
  }

  public ElectronConfig withModel(String m) {
    return new ElectronConfig(baseUrl, apiKey, m, maxConcurrency, maxQueueWaitMillis, connectTimeoutMillis,
        firstTokenTimeoutMillis, idleTimeoutMillis, retry);
  }

  public ElectronConfig withMaxConcurrency(int n, long queueWaitMillis) {
    return new ElectronConfig(baseUrl, apiKey, model, n, queueWaitMillis, connectTimeoutMillis,
        firstTokenTimeoutMillis, idleTimeoutMillis, retry);
  }

  public ElectronConfig withTimeouts(long connectMillis, long firstTokenMillis, long idleMillis) {
    return new ElectronConfig(baseUrl, apiKey, model, maxConcurrency, maxQueueWaitMillis, connectMillis,
        firstTokenMillis, idleMillis, retry);
  }

  public ElectronConfig withRetry(RetryConfig r) {
    return new ElectronConfig(baseUrl, apiKey, model, maxConcurrency, maxQueueWaitMillis, connectTimeoutMillis,
        firstTokenTimeoutMillis, idleTimeoutMillis, r);
  }

  @Override
  public String toString() {
    return "ElectronConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "redacted") + ", model="
        + model + ", maxConcurrency=" + maxConcurrency + "]";
  }

  private static void nonNegative(String path, long v) {
    if (v < 0) throw AgentException.config(path, v, "must not be negative");
  }

  private static String trimSlash(String s) {
    String t = s.strip();
    while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
    return t;
  }
}
