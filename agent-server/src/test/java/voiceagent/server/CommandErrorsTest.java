package voiceagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import voiceagent.testkit.BlockedThreadGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * Every command reports an expected failure the same way: one line {@code error: <what>: <why>; <what to do>} on
 * stderr, naming the flag as typed, no stack trace and no Java class name; exit 2 for bad input, 1 at run time.
 */
class CommandErrorsTest {
  private static final Pattern STYLE = Pattern.compile("error: [^:]+(: [^;]+)+; .+");
  private static Vertx vertx;
  private static ElectronEmulator electron;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    vertx = BlockedThreadGuard.newVertx();
    electron = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults().withApiKey("sk_test")).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static CommandRun run(Object command, String... args) {
    return CommandRun.of(command, args);
  }

  private static <T> T keyless(T command, java.util.function.Consumer<T> clearEnv) {
    clearEnv.accept(command);
    return command;
  }

  private static ChatCommand chat() {
    return keyless(new ChatCommand(), c -> c.env = Map.of()); // no key: nothing reaches a real service
  }

  private static DemoCommand demo() {
    return keyless(new DemoCommand(), c -> c.env = Map.of());
  }

  private static SpeakCommand speak() {
    return keyless(new SpeakCommand(), c -> c.env = Map.of());
  }

  private static TranscribeCommand transcribe() {
    return keyless(new TranscribeCommand(), c -> c.env = Map.of());
  }

  /** The run failed with {@code status} and exactly the one error line {@code expected}. */
  private static void assertError(int status, String expected, CommandRun run) {
    String err = run.err().strip();
    assertEquals(expected, err);
    assertEquals(status, run.status(), err);
    assertTrue(STYLE.matcher(err).matches(), err);
    assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("voiceagent."), err);
  }

  @Test
  void anUnknownOptionSuggestsTheNearestOneFromTheTopLevelCommand() {
    VoiceAgentCommand top = new VoiceAgentCommand();
    assertError(2, "error: --tool-round: unknown option; did you mean --tool-rounds? run 'voice-agent chat --help' "
        + "for usage", run(top, "chat", "--tool-round", "2", "hi"));
  }

  @Test
  void aValueOfTheWrongTypeNamesTheFlag() {
    assertError(2, "error: --temperature: 'warm' is not a number; run 'chat --help' for usage",
        run(chat(), "--emulator", "--temperature", "warm", "hi"));
  }

  @Test
  void anOutOfRangeTemperatureIsRefusedBeforeAnythingIsSent() {
    int before = electron.requests().size();
    assertError(2, "error: --temperature 2.5: must be between 0 and 2; pass a value from 0 (repeatable) to 2 (most "
        + "varied)", run(chat(), "--base-url", electron.baseUrl(), "--api-key", "sk_test", "--temperature", "2.5", "hi"));
    assertError(2, "error: --temperature -0.1: must be between 0 and 2; pass a value from 0 (repeatable) to 2 (most "
        + "varied)", run(chat(), "--emulator", "--temperature", "-0.1", "hi"));
    assertEquals(before, electron.requests().size());
    assertEquals(0, run(chat(), "--emulator", "--temperature", "2", "hi").status());
  }

  @Test
  void aMessageInSeveralWordsWithoutQuotesSaysToQuoteIt() {
    assertError(2, "error: there: unexpected argument; quote a message that has spaces; run 'chat --help' for usage",
        run(chat(), "--emulator", "hi", "there"));
  }

  @Test
  void aConfigurationErrorFromAFlagNamesTheFlagNotTheKey() {
    assertError(2, "error: --base-url foo: expected an http:// or https:// URL; correct --base-url (see 'chat --help')",
        run(chat(), "--base-url", "foo", "--api-key", "k", "hi"));
    assertError(2, "error: --max-tokens 0: must be positive; correct --max-tokens (see 'chat --help')",
        run(chat(), "--emulator", "--max-tokens", "0", "hi"));
  }

  @Test
  void missingFilesAreNamedByTheirFlag() throws Exception {
    Path missing = dir.resolve("missing.yaml");
    assertError(2, "error: --tools " + missing + ": no such file; give the path of a JSON or YAML list of tools",
        run(chat(), "--emulator", "--tools", missing.toString(), "hi"));
    assertError(2, "error: --config " + dir + ": is a folder, not a file; give the path of a YAML or JSON "
        + "configuration file", run(chat(), "--emulator", "--config", dir.toString(), "hi"));
  }

  @Test
  void aMisspeltConfigurationKeyNamesTheNearestKnownOneWithoutEchoingItsValue() throws Exception {
    Path config = Files.writeString(dir.resolve("typo.yaml"), "electron:\n  modle: gpt\n  api_kye: sk_secret_1\n");
    CommandRun run = run(chat(), "--emulator", "--config", config.toString(), "hi");
    assertError(2, "error: electron.modle: unknown key in " + config + " (did you mean electron.model?); correct it in "
        + "the --config file or the environment", run);
    assertFalse(run.out().contains("sk_secret_1"));
  }

  @Test
  void aRejectedKeyIsARuntimeFailureSayingWhatToCheck() {
    CommandRun run = run(chat(), "--base-url", electron.baseUrl(), "--api-key", "sk_wrong", "hi");
    assertEquals(1, run.status());
    String err = run.err().strip();
    assertTrue(err.startsWith("error: electron: ") && err.endsWith("; check SMALLEST_API_KEY or --api-key"), run.toString());
    assertTrue(STYLE.matcher(err).matches(), err);
    assertFalse(err.contains("sk_wrong"), err);
  }

  @Test
  void demoAudioOutOntoAFileOrUnderAFileIsABadFolder() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertError(2, "error: --audio-out " + file + ": is a file, not a folder; give a folder you can write to (it is "
        + "created when missing)", run(demo(), "--emulator", "--audio-out", file.toString()));
    Path under = file.resolve("turns");
    assertError(2, "error: --audio-out " + under + ": cannot create the folder (not a directory); give a folder you "
        + "can write to (it is created when missing)", run(demo(), "--emulator", "--audio-out", under.toString()));
  }

  @Test
  void demoRefusesABlankQuestion() {
    assertError(2, "error: --say: is empty; give the caller's question, e.g. --say \"Weather in Oslo?\"",
        run(demo(), "--emulator", "--say", "  "));
  }

  @Test
  void speakNamesItsFlags() {
    assertError(2, "error: --sample-rate 1234: Lightning does not produce this rate; pass one of [8000, 16000, 22050, "
        + "24000, 44100, 48000]", run(speak(), "--emulator", "--out", dir.resolve("a.wav").toString(),
        "--sample-rate", "1234", "Hello."));
    Path nowhere = dir.resolve("no-such-folder").resolve("a.wav");
    assertError(2, "error: --out " + nowhere + ": the folder " + nowhere.getParent() + " does not exist; give a file "
        + "name in an existing folder", run(speak(), "--emulator", "--out", nowhere.toString(), "Hello."));
    assertError(2, "error: TEXT: is empty; give the words to speak",
        run(speak(), "--emulator", "--out", dir.resolve("b.wav").toString(), " "));
  }

  @Test
  void transcribeNamesItsInput() throws Exception {
    Path missing = dir.resolve("missing.wav");
    assertError(2, "error: FILE.wav " + missing + ": no such file; give the path of a WAV file",
        run(transcribe(), "--emulator", missing.toString()));
    Path text = Files.writeString(dir.resolve("notes.wav"), "not audio");
    assertError(2, "error: " + text + ": not a RIFF/WAVE file; expected a 16-bit PCM, μ-law or A-law WAV; convert it "
        + "to a mono 16-bit PCM WAV, e.g. sox IN -c 1 -b 16 OUT.wav", run(transcribe(), "--emulator", text.toString()));
    assertError(2, "error: --speed -1.0: must be 0 or more; pass 1 for real time, 0 for as fast as possible",
        run(transcribe(), "--emulator", "--speed", "-1", text.toString()));
  }
}
