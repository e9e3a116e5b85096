package voiceagent.common;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason of a file-system failure in words a user reads, without the exception's class name: the JDK's
 * {@code NoSuchFileException} carries only the path as its message, so printing the message alone says nothing.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class IoErrors {
  private IoErrors() {}

  /** {@code no such file or folder}, {@code permission denied}, ... or the operating system's own reason. */
  public static String reason(IOException e) {
    return switch (e) {
      case NoSuchFileException x -> "no such file or folder";
      case AccessDeniedException x -> "permission denied";
      case FileAlreadyExistsException x -> "already exists";
      case NotDirectoryException x -> "not a folder";
      case DirectoryNotEmptyException x -> "folder not empty";
      case FileSystemException x when x.getReason() != null -> x.getReason().toLowerCase(java.util.Locale.ROOT);
      default -> e.getMessage() == null ? "input/output error" : e.getMessage();
    };
  }
}
