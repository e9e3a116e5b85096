package voiceagent.common.config;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@code ${NAME}} / {@code ${NAME:default}} substitution of the runtime, used by the configuration
 * ({@link ConfigTree}) and by webhook tool declarations (URLs and header values), so that secrets and upstream URLs
 * stay out of files. Semantics:
 * <ul>
 *   <li>{@code ${NAME}} is the value of {@code NAME}; {@code ${NAME:default}} is that value, or {@code default} when
 *       {@code NAME} is unset. {@code default} may be empty ({@code ${NAME:}}) and runs to the first {@code }}.
 *   <li>A variable set to a blank value (empty or only whitespace) counts as <em>unset</em>: {@code KEY= } in an
 *       env file or a compose file usually means "no value", and a blank key or URL is never what was meant.
 *   <li>An unset variable without a default is an error, reported by the caller's {@code missing} function with
 *       the variable's name (never the surrounding text, which may hold a literal credential).
 *   <li>Substituted values are not scanned again: a value containing {@code ${...}} is kept as it is.
 * </ul>
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class EnvSubstitution {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

  private EnvSubstitution() {}

  /** Whether {@code text} holds a variable reference. */
  public static boolean hasVariables(String text) {
    return text.contains("${") && VARIABLE.matcher(text).find();
  }

  /**
   * {@code text} with each variable replaced; a variable that is unset (or blank) and has no default is passed, with
   * the reference as written, to {@code missing}, which returns the exception to throw.
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
