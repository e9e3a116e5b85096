package voiceagent.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import voiceagent.common.IoErrors;

/**
 * Checks of the files and folders named on the command line, before any work starts, each failing with a
 * {@link CliFailure} that names the flag and the path as the user typed them.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
final class CliFiles {
  private CliFiles() {}

  /** A readable file at {@code path} (nothing to check when null); {@code expected} says what it should hold. */
  static void requireFile(String flag, Path path, String expected) {
    if (path == null) return;
    String what = flag + " " + path;
    String todo = "give the path of " + expected;
    if (Files.isDirectory(path)) throw CliFailure.badInput(what, "is a folder, not a file", todo);
    if (!Files.exists(path)) throw CliFailure.badInput(what, "no such file", todo);
    if (!Files.isReadable(path)) throw CliFailure.badInput(what, "cannot be read (permission denied)", todo);
  }

  /** A writable folder at {@code path}, created with its parents when missing. */
  static void requireFolder(String flag, Path path) {
    String what = flag + " " + path;
    String todo = "give a folder you can write to (it is created when missing)";
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw CliFailure.badInput(what, "is a file, not a folder", todo);
    }
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw CliFailure.badInput(what, "cannot create the folder (" + IoErrors.reason(e) + ")", todo);
    }
    if (!Files.isWritable(path)) throw CliFailure.badInput(what, "cannot be written (permission denied)", todo);
  }

  /** A file can be written at {@code path}: it is not a folder, and its folder exists. */
  static void requireWritableFile(String flag, Path path) {
    String what = flag + " " + path;
    String todo = "give a file name in an existing folder";
    if (Files.isDirectory(path)) throw CliFailure.badInput(what, "is a folder, not a file", todo);
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw CliFailure.badInput(what, Files.exists(parent) ? parent + " is a file, not a folder"
          : "the folder " + parent + " does not exist", todo);
    }
  }
}
