package voiceagent.tools.internal.lint;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with JTokkit's {@code cl100k_base} encoding. Electron's own tokenizer is not published, so any count
 * is an estimate; cl100k_base is what the testkit's Electron emulator counts prompts with by default, so lint
 * figures and the emulator's {@code usage} agree, and its vocabulary (100k) is close to that of current open models.
 * Treat the numbers as relative sizes, not a bill. Special-token text such as {@code <|endoftext|>} counts as
 * ordinary text.
 *
 * <p>Thread contract: immutable, thread-safe (JTokkit encodings are).
 */
public final class TokenCounter {
  /** Only this encoding's ranks are read: loading every encoding would cost seconds at first use. */
  private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private TokenCounter() {}

  /** The number of tokens of {@code text}. */
  public static int count(String text) {
    return ENCODING.countTokensOrdinary(text);
  }
}
