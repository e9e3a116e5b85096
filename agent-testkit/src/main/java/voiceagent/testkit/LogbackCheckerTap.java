package voiceagent.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The second way reports reach {@link BlockedThreadGuard}: Vert.x instances that tests do not create themselves (a
 * command under test builds its own) log their checker's reports, and this appender forwards them. Loaded only when
 * Logback is the logging backend.
 *
 * <p>Thread contract: thread-safe; the checker's thread appends.
 */
final class LogbackCheckerTap extends AppenderBase<ILoggingEvent> {
  private final Consumer<String> reports;

  private LogbackCheckerTap(Consumer<String> reports) {
    this.reports = reports;
  }

  /** Installs the tap on the checker's logger; false when the backend is not Logback. */
  static boolean install(Consumer<String> reports) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return false;
    LogbackCheckerTap tap = new LogbackCheckerTap(reports);
    tap.setContext(context);
    tap.start();
    Logger logger = context.getLogger(BlockedThreadChecker.LOGGER_NAME);
    if (logger.getLevel() == null || !logger.getLevel().isGreaterOrEqual(Level.WARN)) logger.setLevel(Level.WARN);
    logger.addAppender(tap);
    return true;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) reports.accept(event.getFormattedMessage());
  }
}
