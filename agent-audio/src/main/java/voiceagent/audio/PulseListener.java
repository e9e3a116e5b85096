package voiceagent.audio;

/**
 * Receives the events of one {@link PulseStream}.
 *
 * <p>Thread contract: called on the session context that opened the stream, one event at a time, in order; it must
 * not block and must not throw.
 */
@FunctionalInterface
public interface PulseListener {
  void onEvent(PulseEvent event);
}
