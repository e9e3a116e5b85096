package voiceagent.server;

/**
 * An expected failure of a command, already worded for the person at the terminal: what went wrong, why, and what to
 * do about it. {@link CliErrors} prints it as {@code error: <what>: <why>; <what to do>} and exits with
 * {@link #exitCode()}: 2 for bad input (flags, files, configuration), 1 for a failure at run time.
 *
 * <p>Thread contract: immutable.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit status of bad input: a flag, a file or the configuration. */
  static final int BAD_INPUT = 2;
  /** Exit status of a failure at run time: a service, the network, the disk. */
  static final int RUNTIME = 1;

  private final String what;
  private final String why;
  private final String todo;
  private final int exitCode;

  private CliFailure(String what, String why, String todo, int exitCode) {
    super(what + ": " + why);
    this.what = what;
    this.why = why;
    this.todo = todo;
    this.exitCode = exitCode;
  }

  /** Bad input (exit 2): {@code what} names the flag or the file, as the user typed it. */
  static CliFailure badInput(String what, String why, String todo) {
    return new CliFailure(what, why, todo, BAD_INPUT);
  }

  /** A failure at run time (exit 1). */
  static CliFailure runtime(String what, String why, String todo) {
    return new CliFailure(what, why, todo, RUNTIME);
  }

  String what() { return what; }

  String why() { return why; }

  String todo() { return todo; }

  int exitCode() { return exitCode; }

  /** The one line printed for it: {@code error: <what>: <why>; <what to do>}. */
  String line() {
    return "error: " + what + ": " + why + (todo == null || todo.isEmpty() ? "" : "; " + todo);
  }
}
