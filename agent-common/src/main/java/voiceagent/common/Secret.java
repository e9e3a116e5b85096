package voiceagent.common;

/**
 * A credential. {@link #toString()} is redacted so that a secret printed by accident (log line, exception message,
 * record toString) shows nothing; only {@link #reveal()} gives the value, at the one place that sends it.
 *
 * <p>Thread contract: immutable.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret holding {@code value}; blank or null gives {@code null} so "no key" stays visible to callers. */
  public static Secret ofNullable(String value) {
    return value == null || value.isBlank() ? null : new Secret(value.strip());
  }

  /** The value itself; call it only where the secret is put on the wire. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
