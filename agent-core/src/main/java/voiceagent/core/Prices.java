package voiceagent.core;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One version of Electron's prices in US dollars per million tokens, and the cost of a request from its
 * {@code usage}. Cost is exact: {@link BigDecimal} arithmetic with no rounding, so sums over many turns do not drift;
 * round only when presenting.
 *
 * <p>Thread contract: immutable.
 *
 * @param version               the name reports quote, e.g. {@code electron-2026-05}
 * @param inputPerMillion       uncached prompt tokens
 * @param cachedInputPerMillion prompt tokens served from the prefix cache
 * @param outputPerMillion      completion tokens
 */
public record Prices(String version, BigDecimal inputPerMillion, BigDecimal cachedInputPerMillion,
    BigDecimal outputPerMillion) {

  /** The prices published at launch (May 2026); the vendor no longer lists them, so treat them as a default. */
  public static final Prices LAUNCH_2026_05 =
      new Prices("electron-2026-05", new BigDecimal("0.40"), new BigDecimal("0.10"), new BigDecimal("1.60"));

  public Prices {
    if (version == null || version.isBlank()) throw new IllegalArgumentException("version=" + version + ": required");
    requireNonNegative("input_per_million", inputPerMillion);
    requireNonNegative("cached_input_per_million", cachedInputPerMillion);
    requireNonNegative("output_per_million", outputPerMillion);
    // 0.40 and 0.4 are one price: without this, equals() would tell a YAML-loaded version from the constant.
    inputPerMillion = inputPerMillion.stripTrailingZeros();
    cachedInputPerMillion = cachedInputPerMillion.stripTrailingZeros();
    outputPerMillion = outputPerMillion.stripTrailingZeros();
  }

  /**
   * {@code (prompt − cached) × input + cached × cachedInput + completion × output}, per million tokens, exact.
   *
   * @throws IllegalArgumentException when a count is negative or {@code cachedTokens > promptTokens}
   */
  public BigDecimal cost(long promptTokens, long cachedTokens, long completionTokens) {
    if (promptTokens < 0 || cachedTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative: promptTokens=" + promptTokens
          + ", cachedTokens=" + cachedTokens + ", completionTokens=" + completionTokens);
    }
    if (cachedTokens > promptTokens) {
      throw new IllegalArgumentException(
          "cachedTokens=" + cachedTokens + " exceeds promptTokens=" + promptTokens);
    }
    return BigDecimal.valueOf(promptTokens - cachedTokens).multiply(inputPerMillion)
        .add(BigDecimal.valueOf(cachedTokens).multiply(cachedInputPerMillion))
        .add(BigDecimal.valueOf(completionTokens).multiply(outputPerMillion))
        .movePointLeft(6);
  }

  private static void requireNonNegative(String field, BigDecimal value) {
    Objects.requireNonNull(value, field);
    if (value.signum() < 0) throw new IllegalArgumentException(field + "=" + value + ": must not be negative");
  }
}
