package voiceagent.core;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The key-values every log line about one call, turn or request carries ({@code call_id}, {@code turn_id},
 * {@code generation_id}, {@code request_id}), bound once and added to each line. MDC is not used: one event-loop
 * thread serves many calls.
 *
 * <p>Thread contract: immutable.
 */
public final class CallLog {
  public static final CallLog NONE = new CallLog(new String[0]);

  private final String[] pairs;

  private CallLog(String[] pairs) {
    this.pairs = pairs;
  }

  /** A log context with one key-value. */
  public static CallLog of(String key, String value) {
    return NONE.with(key, value);
  }

  /** A copy with {@code key} set to {@code value} (replaced if present); a null value leaves the key out. */
  public CallLog with(String key, String value) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(key)) {
        if (value == null) {
          String[] fewer = new String[pairs.length - 2];
          System.arraycopy(pairs, 0, fewer, 0, i);
          System.arraycopy(pairs, i + 2, fewer, i, pairs.length - i - 2);
          return new CallLog(fewer);
        }
        String[] copy = pairs.clone();
        copy[i + 1] = value;
        return new CallLog(copy);
      }
    }
    if (value == null) return this;
    String[] more = Arrays.copyOf(pairs, pairs.length + 2);
    more[pairs.length] = key;
    more[pairs.length + 1] = value;
    return new CallLog(more);
  }

  public LoggingEventBuilder debug(Logger log) {
    return bind(log.atDebug());
  }

  public LoggingEventBuilder info(Logger log) {
    return bind(log.atInfo());
  }

  public LoggingEventBuilder warn(Logger log) {
    return bind(log.atWarn());
  }

  private LoggingEventBuilder bind(LoggingEventBuilder builder) {
    for (int i = 0; i < pairs.length; i += 2) builder.addKeyValue(pairs[i], pairs[i + 1]);
    return builder;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (!s.isEmpty()) s.append(' ');
      s.append(pairs[i]).append('=').append(pairs[i + 1]);
    }
    return s.toString();
  }
}
