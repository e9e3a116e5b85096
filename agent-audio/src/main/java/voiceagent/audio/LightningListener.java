package voiceagent.audio;

/**
 * Receives the events of a {@link LightningStream} or of an SSE synthesis.
 *
 * <p>Thread contract: called on the context that opened the stream, one event at a time; must be fast and must not
 * throw. It may call back into the stream (for example {@code cancel()} on the first chunk).
 */
@FunctionalInterface
public interface LightningListener {
  void onEvent(LightningEvent event);
}
