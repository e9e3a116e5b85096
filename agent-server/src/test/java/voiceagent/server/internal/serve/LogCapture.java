package voiceagent.server.internal.serve;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Records the log lines (WARN and above, as configured for tests) while open, rendered with their key-values. */
final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  /** Each line as "message key=value key=value". */
  List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(LogCapture::render).toList();
    }
  }

  String all() {
    return String.join("\n", lines());
  }

  private static String render(ILoggingEvent e) {
    String kv = e.getKeyValuePairs() == null ? "" : e.getKeyValuePairs().stream()
        .map(p -> p.key + "=" + p.value).collect(Collectors.joining(" "));
    return e.getFormattedMessage() + " " + kv;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
