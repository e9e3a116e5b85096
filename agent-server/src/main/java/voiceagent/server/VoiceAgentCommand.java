package voiceagent.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code voice-agent} command: one subcommand per job. Exit status 0 on success, non-zero otherwise; machine
 * output goes to stdout, logs to stderr.
 */
@Command(
    name = "voice-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VoiceAgentCommand.Version.class,
    description = "Voice-agent runtime for the JVM: Pulse speech-to-text, Electron LLM, Lightning text-to-speech.",
    subcommands = {DemoCommand.class, ChatCommand.class, ServeCommand.class, TranscribeCommand.class, SpeakCommand.class,
        EmulateCommand.class, LoadTestCommand.class, CommandLine.HelpCommand.class})
public final class VoiceAgentCommand {

  public static void main(String[] args) {
    System.exit(new CommandLine(new VoiceAgentCommand()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VoiceAgentCommand.class.getPackage().getImplementationVersion();
      return new String[] {"voice-agent " + (v == null ? "dev" : v)};
    }
  }
}
