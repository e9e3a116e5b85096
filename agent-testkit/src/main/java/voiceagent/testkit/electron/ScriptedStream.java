package voiceagent.testkit.electron;

/**
 * A scripted stream: a frozen copy of an {@link ElectronReplyBuilder} that nothing mutates after {@code build()}.
 *
 * <p>Thread contract: immutable.
 */
record ScriptedStream(ElectronReplyBuilder script) implements ElectronReply {}
