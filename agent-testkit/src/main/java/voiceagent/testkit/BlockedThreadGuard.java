package voiceagent.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Vert.x's blocked-thread checker reports an event loop held too long during it. Registered for
 * every test that has the testkit on its class path (service file plus {@code junit-platform.properties}); the
 * limits come from the surefire {@code argLine} ({@code -Dvertx.options.maxEventLoopExecuteTime=...}).
 *
 * <p>Thread contract: thread-safe; the checker's thread appends, the test thread reads.
 */
public final class BlockedThreadGuard implements BeforeEachCallback, AfterEachCallback {
  private static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  private static final Recorder RECORDER = install();

  private static Recorder install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return null;
    Recorder recorder = new Recorder();
    recorder.setContext(context);
    recorder.start();
    Logger logger = context.getLogger(CHECKER_LOGGER);
    logger.setLevel(Level.WARN);
    logger.addAppender(recorder);
    return recorder;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (RECORDER != null) RECORDER.drain();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (RECORDER == null) return;
    List<String> reports = RECORDER.drain();
    if (!reports.isEmpty()) {
      throw new AssertionError("Vert.x reported a blocked event loop during this test: " + reports.get(0));
    }
  }

  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    private final List<String> reports = new ArrayList<>(); // guarded by this

    @Override
    protected synchronized void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) reports.add(event.getFormattedMessage());
    }

    synchronized List<String> drain() {
      List<String> copy = List.copyOf(reports);
      reports.clear();
      return copy;
    }
  }
}
