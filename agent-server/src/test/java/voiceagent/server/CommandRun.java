package voiceagent.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of a command as {@code voice-agent} runs it (the shared error handling included), with its
 * stdout and stderr captured.
 */
record CommandRun(int status, String out, String err) {

  static CommandRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VoiceAgentCommand.cli(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new CommandRun(status, out.toString(), err.toString());
  }
}
