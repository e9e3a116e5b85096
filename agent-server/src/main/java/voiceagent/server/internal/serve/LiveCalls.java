package voiceagent.server.internal.serve;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import voiceagent.core.Call;
import voiceagent.core.carrier.Carrier;

/**
 * The server's calls: a slot is reserved when a carrier's upgrade is accepted (so the limit holds before any audio
 * flows), the call is registered once its session started, and the slot is released when its socket has closed and
 * the call ended (or its stream never started). Shutdown reads the registered calls to end them and waits for the count to reach zero.
 *
 * <p>Thread contract: thread-safe; one lock guards the count, the map and the waiters (calls of every event loop meet
 * here, a few times per call, never per frame). Nothing is called back under the lock.
 */
public final class LiveCalls {
  private final int max;
  private final Object lock = new Object();
  private int reserved; // guarded by lock
  private final Map<Long, Live> calls = new LinkedHashMap<>(); // guarded by lock
  private final List<Promise<Void>> emptyWaiters = new ArrayList<>(); // guarded by lock

  /** A registered call. */
  public record Live(long slot, Carrier carrier, String callId, Call call) {}

  public LiveCalls(int max) {
    this.max = max;
  }

  public int max() {
    return max;
  }

  /** Reserves a slot; false when {@link #max()} calls already hold one. */
  public boolean tryReserve() {
    synchronized (lock) {
      if (reserved >= max) return false;
      reserved++;
      return true;
    }
  }

  /** Registers the call started in slot {@code slot} (reserved before). */
  public void register(Live live) {
    synchronized (lock) {
      calls.put(live.slot(), live);
    }
  }

  /** Gives slot {@code slot} back (its call ended, or its stream never started). */
  public void release(long slot) {
    List<Promise<Void>> wake = List.of();
    synchronized (lock) {
      calls.remove(slot);
      reserved--;
      if (reserved == 0 && !emptyWaiters.isEmpty()) {
        wake = new ArrayList<>(emptyWaiters);
        emptyWaiters.clear();
      }
    }
    wake.forEach(Promise::tryComplete);
  }

  /** Slots held: calls running plus streams still starting. */
  public int active() {
    synchronized (lock) {
      return reserved;
    }
  }

  /** The registered calls, as they are now. */
  public List<Live> snapshot() {
    synchronized (lock) {
      return List.copyOf(calls.values());
    }
  }

  /** Completes when no slot is held (at once when none is). */
  public Future<Void> whenEmpty() {
    Promise<Void> p = Promise.promise();
    synchronized (lock) {
      if (reserved > 0) {
        emptyWaiters.add(p);
        return p.future();
      }
    }
    p.complete();
    return p.future();
  }
}
