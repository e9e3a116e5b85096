package voiceagent.core.internal.electron;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;

/**
 * Caps the Electron requests in flight for one API key (the plan's concurrency: Standard 3, Enterprise 20). A request
 * beyond the cap waits in a FIFO queue, at most {@code maxWaitMillis}; a released slot goes straight to the oldest
 * waiter. One governor per API key and endpoint per Vert.x instance ({@link #forKey}), shared by every client and
 * call that uses that key, because the plan's limit is per key.
 *
 * <p>Thread contract: thread-safe (a lock guards the counters and the queue; nothing is called back under it).
 * A waiter's future completes on the context it asked from.
 */
public final class Governor implements Shareable {
  private final int limit;
  private final long maxWaitMillis;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>(); // guarded by lock
  private int inFlight; // guarded by lock

  public Governor(int limit, long maxWaitMillis, Clock clock) {
    this.limit = limit;
    this.maxWaitMillis = maxWaitMillis;
    this.clock = clock;
  }

  /**
   * The governor of {@code key} at {@code endpoint} in this Vert.x instance, created with these settings by the first
   * client that asks; later clients of the same key share it (and its limit). Kept in Vert.x local shared data, so it
   * lives as long as the Vert.x instance. The key itself is never stored, only a digest of it.
   */
  public static Governor forKey(Vertx vertx, String endpoint, String key, int limit, long maxWaitMillis, Clock clock) {
    String id = endpoint + "#" + (key == null ? "" : digest(key));
    return vertx.sharedData().<String, Governor>getLocalMap("voiceagent.electron.governors")
        .computeIfAbsent(id, k -> new Governor(limit, maxWaitMillis, clock));
  }

  /** The concurrency limit this governor enforces. */
  public int limit() {
    return limit;
  }

  private static String digest(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Asks for a slot; the ticket's future completes on {@code context} when one is granted or the wait times out. */
  public Ticket acquire(Context context) {
    Ticket ticket = new Ticket(context);
    lock.lock();
    try {
      if (inFlight < limit && queue.isEmpty()) {
        inFlight++;
        ticket.granted = true;
      } else {
        queue.add(ticket);
      }
    } finally {
      lock.unlock();
    }
    if (ticket.granted) {
      ticket.promise.complete(ticket);
    } else if (maxWaitMillis > 0) {
      ticket.timer = clock.schedule(context, maxWaitMillis, ticket::expire);
    }
    return ticket;
  }

  public int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  public int queueDepth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void release() {
    Ticket next;
    lock.lock();
    try {
      next = queue.poll();
      if (next == null) inFlight--;
      else next.granted = true; // the slot passes to the next waiter: inFlight is unchanged
    } finally {
      lock.unlock();
    }
    if (next != null) next.grant();
  }

  /** One request's claim on a slot: pending, granted (then {@link #release()} once), or withdrawn. */
  public final class Ticket {
    private final Context context;
    private final Promise<Ticket> promise = Promise.promise();
    private boolean granted; // guarded by Governor.lock until granted, then confined to context
    private boolean released; // confined to context
    private Clock.Cancellable timer; // confined to context

    private Ticket(Context context) {
      this.context = context;
    }

    /** Completes with this ticket when the slot is granted; fails with RATE_LIMITED after the wait limit. */
    public Future<Ticket> future() {
      return promise.future();
    }

    /** Gives the slot back, or leaves the queue if still waiting. Idempotent. */
    public void release() {
      boolean wasQueued;
      lock.lock();
      try {
        wasQueued = queue.remove(this);
      } finally {
        lock.unlock();
      }
      if (timer != null) timer.cancel();
      if (wasQueued) {
        promise.tryFail(new AgentException(ErrorKind.CANCELLED, ElectronErrors.SERVICE, "cancelled while queued"));
      } else if (granted && !released) {
        released = true;
        Governor.this.release();
      }
    }

    private void grant() {
      context.runOnContext(v -> {
        if (timer != null) timer.cancel();
        if (released) return; // the owner gave the slot back before it arrived
        if (!promise.tryComplete(this)) release();
      });
    }

    private void expire() {
      boolean removed;
      int depth;
      lock.lock();
      try {
        removed = queue.remove(this);
        depth = queue.size();
      } finally {
        lock.unlock();
      }
      if (removed) {
        promise.tryFail(new AgentException(ErrorKind.RATE_LIMITED, ElectronErrors.SERVICE,
            "no Electron concurrency slot within " + maxWaitMillis + " ms (limit " + limit + ", " + depth
                + " still queued)", false, null, "queue_timeout", null, null));
      }
    }
  }
}
