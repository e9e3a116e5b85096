package voiceagent.tools.internal.webhook;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:default}} in config text with values from an environment map, so
 * secrets (API keys in headers) and upstream URLs stay out of config files.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class EnvSubstitution {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

  private EnvSubstitution() {}

  /**
   * {@code text} with each variable replaced; a variable that is unset (or blank) and has no default is passed
   * to {@code missing}, which returns the exception to throw.
   */
  public static String apply(String text, Map<String, String> env,
      BiFunction<String, String, RuntimeException> missing) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null || value.isBlank()) value = m.group(2);
      if (value == null) throw missing.apply(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }
}
