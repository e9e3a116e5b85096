package voiceagent.core.internal.session;

import io.vertx.core.Context;
import java.util.function.BooleanSupplier;
import voiceagent.common.Clock;
import voiceagent.core.config.SessionConfig;

/**
 * Silence after the agent spoke: the idle prompt after {@code idlePromptMillis}, then the hang-up after
 * {@code idleHangUpMillis} more. Any caller activity starts over.
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class IdleWatch {
  private final SessionConfig config;
  private final Clock clock;
  private final Context context;
  private final BooleanSupplier quiet; // the agent listens and the caller is silent
  private final Runnable prompt;
  private final Runnable hangUp;
  private boolean agentSpoke;
  private boolean prompted;
  private Clock.Cancellable timer;

  IdleWatch(SessionConfig config, Clock clock, Context context, BooleanSupplier quiet, Runnable prompt,
      Runnable hangUp) {
    this.config = config;
    this.clock = clock;
    this.context = context;
    this.quiet = quiet;
    this.prompt = prompt;
    this.hangUp = hangUp;
  }

  void agentSpoke() {
    agentSpoke = true;
  }

  /** The agent finished speaking and listens: the silence starts counting. */
  void arm() {
    cancel();
    if (config.idlePromptMillis() == 0 || !agentSpoke) return;
    if (!prompted) {
      timer = clock.schedule(context, config.idlePromptMillis(), () -> {
        timer = null;
        if (!quiet.getAsBoolean()) return;
        prompted = true;
        prompt.run();
      });
    } else if (config.idleHangUpMillis() > 0) {
      timer = clock.schedule(context, config.idleHangUpMillis(), () -> {
        timer = null;
        if (quiet.getAsBoolean()) hangUp.run();
      });
    }
  }

  /** The caller spoke (or a turn started): the idle sequence starts over after the next played speech. */
  void reset() {
    cancel();
    prompted = false;
  }

  void cancel() {
    if (timer != null) timer.cancel();
    timer = null;
  }
}
