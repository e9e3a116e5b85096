package voiceagent.core.internal.electron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import voiceagent.common.Secret;
import voiceagent.common.VertxClock;
import voiceagent.core.ElectronEvent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.electron.ElectronEmulatorOptions;
import voiceagent.testkit.electron.ElectronReply;

/** The API key never reaches a log line or an error; every line about a request carries its ids. */
class ElectronLoggingTest {
  private static final String KEY = "sk_live_S3CR3T_do_not_print";

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level previous;
  private ElectronHarness h;

  @BeforeEach
  void capture() throws Exception {
    appender.start();
    root.addAppender(appender);
    previous = root.getLevel();
    root.setLevel(Level.TRACE);
    h = new ElectronHarness(ElectronEmulatorOptions.defaults().withApiKey(KEY));
  }

  @AfterEach
  void release() throws Exception {
    h.close();
    root.detachAppender(appender);
    root.setLevel(previous);
  }

  private static String render(ILoggingEvent e) {
    StringBuilder s = new StringBuilder(e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) e.getKeyValuePairs().forEach(kv -> s.append(' ').append(kv.key).append('=').append(kv.value));
    if (e.getThrowableProxy() != null) s.append(' ').append(e.getThrowableProxy().getMessage());
    return s.toString();
  }

  @Test
  void keyNeverAppearsInLogsErrorsOrConfig() throws Exception {
    ElectronConfig good = h.config().withApiKey(Secret.ofNullable(KEY));
    h.emulator.enqueue(ElectronReply.status(503), ElectronReply.text("hello"));
    ElectronHarness.Recorder ok = h.start(h.client(good, VertxClock.INSTANCE), ElectronHarness.request("hi"));
    assertInstanceOf(ElectronEvent.Finished.class, ok.awaitEnd());

    ElectronConfig wrong = h.config().withApiKey(Secret.ofNullable(KEY + "_wrong"));
    ElectronHarness.Recorder denied = h.start(h.client(wrong, VertxClock.INSTANCE), ElectronHarness.request("hi"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, denied.awaitEnd());

    List<String> lines = appender.list.stream().map(ElectronLoggingTest::render).toList();
    assertFalse(lines.isEmpty());
    for (String line : lines) assertFalse(line.contains("S3CR3T"), "secret in log line: " + line);
    assertFalse(failed.error().toString().contains("S3CR3T"));
    assertFalse(good.toString().contains("S3CR3T"));
    assertTrue(h.emulator.requests().stream().noneMatch(r -> r.headers().toString().contains("S3CR3T")),
        "the emulator records the Authorization header redacted too");
  }

  @Test
  void everyLineAfterTheResponseCarriesRequestIdAndCallerIds() throws Exception {
    h.emulator.enqueue(ElectronReply.status(400));
    ElectronHarness.Recorder r = h.start(h.client(h.config().withApiKey(Secret.ofNullable(KEY)), VertxClock.INSTANCE),
        ElectronHarness.request("hi"));
    ElectronEvent.Failed failed = assertInstanceOf(ElectronEvent.Failed.class, r.awaitEnd());
    String requestId = h.emulator.requests().getLast().requestId();
    assertEquals(requestId, failed.error().requestId());

    List<ILoggingEvent> ours = appender.list.stream()
        .filter(e -> e.getLoggerName().equals(ElectronExchange.class.getName())).toList();
    ILoggingEvent failure = ours.stream().filter(e -> e.getMessage().equals("electron request failed")).findFirst()
        .orElseThrow();
    assertTrue(render(failure).contains("request_id=" + requestId), render(failure));
    for (ILoggingEvent e : ours) assertTrue(render(e).contains("call_id=test"), render(e));
  }
}
