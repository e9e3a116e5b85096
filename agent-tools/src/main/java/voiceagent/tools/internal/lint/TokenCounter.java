package voiceagent.tools.internal.lint;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with JTokkit's {@code o200k_base} encoding. Electron's own tokenizer is not published; o200k_base is
 * the newest byte-pair encoding JTokkit ships, with a vocabulary (200k) close to current open models' (128k-256k),
 * so its counts are a fair estimate for budgets. Treat the numbers as relative sizes, not a bill.
 *
 * <p>Thread contract: immutable, thread-safe (JTokkit encodings are).
 */
public final class TokenCounter {
  private static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private TokenCounter() {}

  /** The number of tokens of {@code text}. */
  public static int count(String text) {
    return ENCODING.countTokens(text);
  }
}
