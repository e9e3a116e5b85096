package voiceagent.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code voice-agent} command: one subcommand per job. Exit status 0 on success, 2 for bad input (a flag, a
 * file, the configuration), 1 for a failure at run time; machine output goes to stdout, logs and errors to stderr,
 * each error as one line {@code error: <what>: <why>; <what to do>} ({@link CliErrors}).
 */
@Command(
    name = "voice-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VoiceAgentCommand.Version.class,
    description = "Voice-agent runtime for the JVM: Pulse speech-to-text, Electron LLM, Lightning text-to-speech.",
    subcommands = {DemoCommand.class, CallCommand.class, ServeCommand.class, EmulateCommand.class,
        LoadTestCommand.class, ChatCommand.class, TranscribeCommand.class, SpeakCommand.class,
        CommandLine.HelpCommand.class})
public final class VoiceAgentCommand {

  public static void main(String[] args) {
    System.exit(cli(new VoiceAgentCommand()).execute(args));
  }

  /** The command line of {@code command} (this command or one subcommand) with the shared error handling. */
  static CommandLine cli(Object command) {
    return CliErrors.install(new CommandLine(command));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VoiceAgentCommand.class.getPackage().getImplementationVersion();
      return new String[] {"voice-agent " + (v == null ? "dev" : v)};
    }
  }
}
