package voiceagent.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.IoErrors;

/**
 * How every command reports a failure: one line {@code error: <what>: <why>; <what to do>} on stderr, no stack trace
 * and no Java class name, the flag as the user typed it rather than the configuration key behind it; exit status 2
 * for bad input (flags, files, configuration) and 1 for a failure at run time. Installed on the command line by
 * {@link #install}: picocli's parse errors and whatever a command's {@code call()} throws both end here.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
final class CliErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(CliErrors.class);

  /** Configuration keys that a flag sets, so an error about one names the flag the user gave. */
  private static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("electron.base_url", "--base-url"), Map.entry("electron.model", "--model"),
      Map.entry("agent.max_tokens", "--max-tokens"), Map.entry("agent.temperature", "--temperature"),
      Map.entry("agent.max_tool_rounds", "--tool-rounds"), Map.entry("agent.system_prompt", "--system"),
      Map.entry("tools file", "--tools"), Map.entry("config file", "--config"),
      Map.entry("lightning.voice_id", "--voice"), Map.entry("pulse.language", "--language"),
      Map.entry("server.port", "--port"));

  /** Picocli's wording of a value it could not convert: {@code Invalid value for option '--x': 'v' is not a double}. */
  private static final Pattern INVALID_VALUE =
      Pattern.compile("^Invalid value for (?:option|positional parameter[^']*) '([^']*)': (.*)$", Pattern.DOTALL);

  private CliErrors() {}

  /** {@code cli} with both handlers installed, for the command and every subcommand; returns it. */
  static CommandLine install(CommandLine cli) {
    CliErrors handler = new CliErrors();
    return cli.setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cli = ex.getCommandLine();
    return print(cli.getErr(), describe(ex, help(cli)));
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    // cli is the command that ran (a subcommand): its own parse result says which of its flags were given.
    return print(cli.getErr(), describe(ex, cli, cli.getParseResult()));
  }

  private static int print(PrintWriter err, CliFailure failure) {
    err.println(failure.line());
    err.flush();
    return failure.exitCode();
  }

  /** A parse error: an unknown or missing flag, a value of the wrong type. */
  static CliFailure describe(ParameterException ex, String help) {
    String todo = "run '" + help + "' for usage";
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().getFirst();
      if (!first.startsWith("-")) {
        return CliFailure.badInput(first, "unexpected argument", "quote a message that has spaces; " + todo);
      }
      List<String> suggestions = u.getSuggestions();
      return CliFailure.badInput(first, "unknown option",
          (suggestions.isEmpty() ? "" : "did you mean " + suggestions.getFirst() + "? ") + todo);
    }
    if (ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
      return CliFailure.badInput(name(m.getMissing().getFirst()), "missing", todo);
    }
    String what = ex.getArgSpec() == null ? null : name(ex.getArgSpec());
    Matcher invalid = INVALID_VALUE.matcher(String.valueOf(ex.getMessage()));
    if (invalid.matches()) {
      String why = invalid.group(2).replace("is not a double", "is not a number")
          .replace("is not an int", "is not a whole number").replace("is not a long", "is not a whole number");
      return CliFailure.badInput(what != null ? what : invalid.group(1), why, todo);
    }
    return CliFailure.badInput(what != null ? what : help, String.valueOf(ex.getMessage()), todo);
  }

  /** A failure while a command ran: an expected one is worded for the user, anything else is a bug to report. */
  static CliFailure describe(Throwable ex, CommandLine cli, ParseResult parsed) {
    return switch (ex) {
      case CliFailure f -> f;
      case AgentException a -> describe(a, cli, parsed);
      case UncheckedIOException u -> io(u.getCause());
      case IOException e -> io(e);
      case ParameterException p -> describe(p, help(cli));
      default -> {
        // Not an expected failure: the details go to the log (VOICE_AGENT_LOG_LEVEL=DEBUG), not to the user's screen.
        log.atDebug().setCause(ex).log("unexpected failure");
        yield CliFailure.runtime(cli.getCommandName(),
            "internal error" + (ex.getMessage() == null ? "" : " (" + ex.getMessage() + ")"),
            "run again with VOICE_AGENT_LOG_LEVEL=DEBUG for details and report it");
      }
    };
  }

  /**
   * An {@link AgentException}: a configuration error names the flag when one was given ({@code parsed} may be null:
   * then it names the key), any other is a failure at run time named by its service.
   */
  static CliFailure describe(AgentException a, CommandLine cli, ParseResult parsed) {
    if (a.kind() == ErrorKind.CONFIG) {
      String message = a.getMessage();
      int colon = message.indexOf(": ");
      String subject = colon < 0 ? a.service() : message.substring(0, colon);
      String why = colon < 0 ? message : message.substring(colon + 2);
      int eq = subject.indexOf('=');
      String key = eq < 0 ? subject : subject.substring(0, eq);
      String flag = FLAGS.get(key);
      if (flag != null && parsed != null && parsed.hasMatchedOption(flag)) {
        String value = eq < 0 ? "" : " " + subject.substring(eq + 1);
        return CliFailure.badInput(flag + value, why, "correct " + flag + " (see '" + help(cli) + "')");
      }
      return CliFailure.badInput(subject, why, "correct it in the --config file or the environment");
    }
    String why = a.getMessage() + (a.requestId() == null ? "" : " (request_id " + a.requestId() + ")");
    return CliFailure.runtime(a.service(), why, todo(a.kind()));
  }

  /** What to do about a runtime failure of this kind. */
  static String todo(ErrorKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> "check SMALLEST_API_KEY or --api-key";
      case RATE_LIMITED -> "wait a moment and try again";
      case INVALID_REQUEST -> "check the values sent (see --help)";
      case NOT_FOUND -> "check the base URL and the model name";
      case SERVER -> "try again later";
      case CONNECTIVITY -> "check the network and the base URL";
      case TIMEOUT -> "try again; the service did not answer in time";
      case PROTOCOL -> "check that the base URL points at the right service";
      case TOOL -> "check the tool's endpoint";
      case CANCELLED -> "run the command again";
      case CONFIG -> "correct the configuration";
    };
  }

  private static CliFailure io(IOException e) {
    String file = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : "file";
    return CliFailure.runtime(file, IoErrors.reason(e), "check the path and its permissions");
  }

  private static String name(ArgSpec spec) {
    return spec instanceof OptionSpec o ? o.longestName() : spec.paramLabel();
  }

  private static String help(CommandLine cli) {
    return (cli == null ? "voice-agent" : cli.getCommandSpec().qualifiedName()) + " --help";
  }
}
