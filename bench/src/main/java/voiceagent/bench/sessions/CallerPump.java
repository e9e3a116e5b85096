package voiceagent.bench.sessions;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One 20 ms timer per event loop that sends the next packet of every {@link ScriptedCaller} on that loop, as a
 * carrier's media stream would deliver them — so a thousand callers cost a few timers, not a thousand.
 *
 * <p>Thread contract: {@link #of} is thread-safe; a pump's methods run on its loop.
 */
final class CallerPump {
  private static final Map<Context, CallerPump> PUMPS = new ConcurrentHashMap<>();

  private final Context context;
  private final List<ScriptedCaller> callers = new ArrayList<>();
  private long timer = -1;

  private CallerPump(Context context) {
    this.context = context;
  }

  static CallerPump of(Context context) {
    return PUMPS.computeIfAbsent(context, CallerPump::new);
  }

  void add(ScriptedCaller c) {
    callers.add(c);
    if (timer < 0) timer = context.owner().setPeriodic(20, id -> tick());
  }

  void remove(ScriptedCaller c) {
    // A caller leaves from inside a tick (the session hangs up while taking a packet): remove after the loop.
    context.runOnContext(v -> {
      callers.remove(c);
      if (callers.isEmpty() && timer >= 0) {
        context.owner().cancelTimer(timer);
        timer = -1;
      }
    });
  }

  private void tick() {
    long now = System.nanoTime();
    for (int i = 0, n = callers.size(); i < n; i++) callers.get(i).frame(now);
  }
}
