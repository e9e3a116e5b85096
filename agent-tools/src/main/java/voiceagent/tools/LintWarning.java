package voiceagent.tools;

/**
 * One finding of {@link CatalogLint}.
 *
 * <p>Thread contract: immutable.
 *
 * @param tool the tool's name
 * @param message what to change, e.g. {@code description has 2 sentences; use one}
 * @param tokens the tool's catalog entry cost in tokens (see {@link CatalogLint#tokens(Tool)})
 */
public record LintWarning(String tool, String message, int tokens) {

  @Override
  public String toString() {
    return tool + " (" + tokens + " tokens): " + message;
  }
}
