package voiceagent.testkit.electron;

import java.time.Duration;
import java.util.Objects;
import voiceagent.common.Clock;
import voiceagent.common.Secret;
import voiceagent.common.VertxClock;

/**
 * Settings of an {@link ElectronEmulator}: the plan it pretends to be on and how its prefix cache behaves.
 *
 * <p>Prefix cache: {@code cached_tokens} is the longest common token prefix between a request's prompt and the
 * prompt of any of the last {@code cacheEntries} streamed requests (entries idle for longer than {@code cacheTtl}
 * are dropped), rounded down to a multiple of {@code cacheBlockTokens}, and reported as 0 when below
 * {@code cacheMinTokens}. The defaults (block 1, minimum 16) give exact hits on append-only histories and a miss
 * when the very start of the prompt changes, where only the few tokens of the first role marker would match.
 *
 * <p>Thread contract: immutable.
 *
 * @param apiKey the expected Bearer token; {@code null} accepts any token or none
 * @param concurrencyLimit requests that may stream at once before 429 "Concurrency limit reached" (Standard plan: 3)
 * @param cacheMinTokens smallest prefix reported as cached
 * @param cacheBlockTokens granularity of cache hits, in tokens
 * @param cacheEntries how many recent prompts the cache remembers
 * @param cacheTtl how long an unused cache entry survives
 * @param tokenEncoding JTokkit encoding used for every token count: {@code cl100k_base} or {@code o200k_base}
 * @param model the {@code model} reported in chunks
 * @param clock timestamps ({@code created}, cache expiry, {@code receivedNanos}) and reply timings
 */
public record ElectronEmulatorOptions(
    Secret apiKey,
    int concurrencyLimit,
    int cacheMinTokens,
    int cacheBlockTokens,
    int cacheEntries,
    Duration cacheTtl,
    String tokenEncoding,
    String model,
    Clock clock) {

  public ElectronEmulatorOptions {
    if (concurrencyLimit < 1) throw new IllegalArgumentException("concurrencyLimit must be >= 1, got " + concurrencyLimit);
    if (cacheMinTokens < 0) throw new IllegalArgumentException("cacheMinTokens must be >= 0, got " + cacheMinTokens);
    if (cacheBlockTokens < 1) throw new IllegalArgumentException("cacheBlockTokens must be >= 1, got " + cacheBlockTokens);
    if (cacheEntries < 0) throw new IllegalArgumentException("cacheEntries must be >= 0, got " + cacheEntries);
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(tokenEncoding, "tokenEncoding");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(clock, "clock");
  }

  /** Standard plan (3 concurrent streams), any key accepted, cl100k_base, a 5-minute cache of 32 prompts. */
  public static ElectronEmulatorOptions defaults() {
    return new ElectronEmulatorOptions(
        null, 3, 16, 1, 32, Duration.ofMinutes(5), "cl100k_base", "electron", VertxClock.INSTANCE);
  }

  public ElectronEmulatorOptions withApiKey(String key) {
    return new ElectronEmulatorOptions(Secret.ofNullable(key), concurrencyLimit, cacheMinTokens, cacheBlockTokens,
        cacheEntries, cacheTtl, tokenEncoding, model, clock);
  }

  public ElectronEmulatorOptions withConcurrencyLimit(int limit) {
    return new ElectronEmulatorOptions(apiKey, limit, cacheMinTokens, cacheBlockTokens, cacheEntries, cacheTtl,
        tokenEncoding, model, clock);
  }

  public ElectronEmulatorOptions withCache(int minTokens, int blockTokens, int entries, Duration ttl) {
    return new ElectronEmulatorOptions(apiKey, concurrencyLimit, minTokens, blockTokens, entries, ttl, tokenEncoding,
        model, clock);
  }

  public ElectronEmulatorOptions withTokenEncoding(String encoding) {
    return new ElectronEmulatorOptions(apiKey, concurrencyLimit, cacheMinTokens, cacheBlockTokens, cacheEntries,
        cacheTtl, encoding, model, clock);
  }

  public ElectronEmulatorOptions withModel(String reportedModel) {
    return new ElectronEmulatorOptions(apiKey, concurrencyLimit, cacheMinTokens, cacheBlockTokens, cacheEntries,
        cacheTtl, tokenEncoding, reportedModel, clock);
  }

  public ElectronEmulatorOptions withClock(Clock newClock) {
    return new ElectronEmulatorOptions(apiKey, concurrencyLimit, cacheMinTokens, cacheBlockTokens, cacheEntries,
        cacheTtl, tokenEncoding, model, newClock);
  }
}
