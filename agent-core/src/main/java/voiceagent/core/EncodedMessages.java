package voiceagent.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chat messages together with their request encoding, made once per message: an immutable list that a growing
 * conversation extends with {@link #append} and that {@link ChatRequest} writes without serializing the messages
 * again. Each message is encoded exactly as {@link ChatRequest#messageJson} writes it, so a request built from an
 * {@code EncodedMessages} has the same bytes as one built from the same plain messages.
 *
 * <p>The encodings of consecutive appends lie back to back in one shared byte array, so the whole history is one
 * slice of memory: a request references it instead of copying it, whatever its length. Storage is write-once — a slot
 * is written by the one append that claims it and never changes afterwards — which is what lets lists share it
 * safely and lets {@link #mismatch} prove in constant time that a later list extends an earlier one (same storage,
 * same positions). Appending to a list that is not the newest of its storage (two conversations forked from one
 * list) copies that list into new storage first.
 *
 * <p>Thread contract: immutable and thread-safe; appends from several threads to one list are safe (one of them
 * extends the shared storage, the others copy).
 */
public final class EncodedMessages extends AbstractList<ChatMessage> implements RandomAccess {
  private static final EncodedMessages EMPTY = new EncodedMessages(new Run[0], 0);
  /** Room for the first few turns of a call before the storage first doubles (then it doubles as it fills). */
  private static final int INITIAL_MESSAGES = 16;
  private static final int INITIAL_BYTES = 2 * 1024;

  private final Run[] runs; // non-empty, in order; at most a few (the agent's system messages, then the history)
  private final int size;

  private EncodedMessages(Run[] runs, int size) {
    this.runs = runs;
    this.size = size;
  }

  /** The empty list. */
  public static EncodedMessages empty() {
    return EMPTY;
  }

  /** {@code messages} encoded once each, in storage of their exact size; an {@code EncodedMessages} is returned as is. */
  public static EncodedMessages of(List<ChatMessage> messages) {
    if (messages instanceof EncodedMessages e) return e;
    if (messages.isEmpty()) return EMPTY;
    byte[][] json = new byte[messages.size()][];
    int length = 0;
    for (int i = 0; i < json.length; i++) {
      json[i] = ChatRequest.messageJson(Objects.requireNonNull(messages.get(i), "message"));
      length += 1 + json[i].length;
    }
    Store s = new Store(json.length, length);
    for (int i = 0, at = 0; i < json.length; at = s.ends[i++]) s.write(i, at, messages.get(i), json[i]);
    s.claimed.set(json.length);
    return new EncodedMessages(new Run[] {new Run(s, 0, json.length)}, json.length);
  }

  /**
   * This list followed by {@code message}, which is encoded now; this list is unchanged. Costs the message's own size
   * (amortized), never the list's, unless this list is not the newest of its storage.
   */
  public EncodedMessages append(ChatMessage message) {
    Objects.requireNonNull(message, "message");
    byte[] json = ChatRequest.messageJson(message);
    Run last = runs.length == 0 ? null : runs[runs.length - 1];
    Run grown = last == null ? null : last.store.tryAppend(last, message, json);
    if (grown == null) grown = Store.copyOf(last, message, json);
    Run[] next = Arrays.copyOf(runs, Math.max(1, runs.length));
    next[next.length - 1] = grown;
    return new EncodedMessages(next, size + 1);
  }

  /** This list followed by {@code other}, sharing both encodings (nothing is copied or encoded). */
  public EncodedMessages concat(EncodedMessages other) {
    if (other.size == 0) return this;
    if (size == 0) return other;
    Run last = runs[runs.length - 1];
    Run first = other.runs[0];
    boolean joins = last.store == first.store && last.to == first.from;
    Run[] next = new Run[runs.length + other.runs.length - (joins ? 1 : 0)];
    System.arraycopy(runs, 0, next, 0, runs.length);
    if (joins) next[runs.length - 1] = new Run(last.store, last.from, first.to);
    System.arraycopy(other.runs, joins ? 1 : 0, next, runs.length, other.runs.length - (joins ? 1 : 0));
    return new EncodedMessages(next, size + other.size);
  }

  @Override
  public ChatMessage get(int index) {
    Objects.checkIndex(index, size);
    for (Run r : runs) {
      int n = r.to - r.from;
      if (index < n) return r.store.messages[r.from + index];
      index -= n;
    }
    throw new AssertionError("sizes of the runs add up to size");
  }

  @Override
  public int size() {
    return size;
  }

  /**
   * The index of the first message whose encoding differs between this list and {@code other}; the smaller size
   * when one list is a prefix of the other; -1 when both are equal. Messages held at the same place of the same
   * storage are equal without being read, so checking that a list extends the one sent before costs a few steps,
   * not the length of the history.
   */
  public int mismatch(EncodedMessages other) {
    Cursor a = new Cursor(this);
    Cursor b = new Cursor(other);
    int common = Math.min(size, other.size);
    int index = 0;
    while (index < common) {
      if (a.run().store == b.run().store && a.position() == b.position()) {
        int shared = Math.min(a.left(), b.left()); // the same write-once slots: equal, skip them all
        a.skip(shared);
        b.skip(shared);
        index += shared;
      } else {
        if (!a.run().store.sameBytes(a.position(), b.run().store, b.position())) return index;
        a.skip(1);
        b.skip(1);
        index++;
      }
    }
    return size == other.size ? -1 : common;
  }

  /**
   * Messages {@code [from, to)} of this list, sharing its encodings (nothing is copied or encoded). For a history
   * shortened on purpose (compaction, a turn taken back); appending to the slice copies it once, as for any list that
   * is not the newest of its storage.
   */
  public EncodedMessages slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    if (from == to) return EMPTY;
    if (from == 0 && to == size) return this;
    Run[] out = new Run[runs.length];
    int n = 0;
    int at = 0; // index of the current run's first message in this list
    for (Run r : runs) {
      int len = r.to - r.from;
      int lo = Math.max(from, at);
      int hi = Math.min(to, at + len);
      if (lo < hi) out[n++] = new Run(r.store, r.from + lo - at, r.from + hi - at);
      at += len;
    }
    return new EncodedMessages(Arrays.copyOf(out, n), to - from);
  }

  /** The encoded size of message {@code index}, as {@link ChatRequest#messageJson} writes it. */
  public int encodedLength(int index) {
    Objects.checkIndex(index, size);
    for (Run r : runs) {
      int n = r.to - r.from;
      if (index < n) return r.store.start(r.from + index + 1) - r.store.start(r.from + index) - 1; // less its comma
      index -= n;
    }
    throw new AssertionError("sizes of the runs add up to size");
  }

  /** The encoded size of the messages as they appear in a request: their JSON objects and the commas between them. */
  public int encodedLength() {
    int n = 0;
    for (Run r : runs) n += r.store.start(r.to) - r.store.start(r.from);
    return Math.max(0, n - 1);
  }

  /**
   * The messages as they appear inside a request's {@code messages} array — their JSON objects separated by commas —
   * as one read-only buffer over the cached encodings: nothing is copied, whatever the length of the list.
   */
  public Buffer json() {
    if (size == 0) return Buffer.buffer();
    ByteBuf[] parts = new ByteBuf[runs.length];
    for (int i = 0; i < runs.length; i++) {
      Run r = runs[i];
      int from = r.store.start(r.from) + (i == 0 ? 1 : 0); // every encoding starts with its comma; the first's goes
      parts[i] = Unpooled.wrappedBuffer(r.store.bytes, from, r.store.start(r.to) - from);
    }
    ByteBuf all = parts.length == 1 ? parts[0] : Unpooled.wrappedBuffer(parts.length, parts);
    // Vert.x 5 wraps a Netty buffer only through its internal API; a read-only view keeps the shared bytes intact.
    return BufferInternal.buffer(all.asReadOnly());
  }

  /** Messages {@code [from, to)} of one storage. */
  private record Run(Store store, int from, int to) {}

  /** Walks the runs of a list message by message. */
  private static final class Cursor {
    private final Run[] runs;
    private int run;
    private int position; // the slot of the current message in its storage

    Cursor(EncodedMessages list) {
      this.runs = list.runs;
      this.position = runs.length == 0 ? 0 : runs[0].from;
    }

    Run run() {
      return runs[run];
    }

    int position() {
      return position;
    }

    int left() {
      return runs[run].to - position;
    }

    void skip(int n) {
      position += n;
      if (position == runs[run].to && run + 1 < runs.length) position = runs[++run].from;
    }
  }

  /**
   * Write-once slots of messages and their encodings, each encoding preceded by its comma. Slot {@code i} holds
   * {@code messages[i]} and the bytes {@code [ends[i-1], ends[i])}; {@code claimed} counts the slots taken, and a
   * slot is taken by one compare-and-set before it is written, so no slot is ever written twice. Readers only read
   * slots of lists they hold, which were written before those lists existed (final fields publish them).
   */
  private static final class Store {
    final ChatMessage[] messages;
    final int[] ends;
    final byte[] bytes;
    final AtomicInteger claimed = new AtomicInteger();

    Store(int messageCapacity, int byteCapacity) {
      this.messages = new ChatMessage[messageCapacity];
      this.ends = new int[messageCapacity];
      this.bytes = new byte[byteCapacity];
    }

    int start(int slot) {
      return slot == 0 ? 0 : ends[slot - 1];
    }

    /**
     * {@code run} (of this storage) extended by {@code message}, written into the slot after it if that slot is still
     * free and the message fits; null otherwise.
     */
    Run tryAppend(Run run, ChatMessage message, byte[] json) {
      int slot = run.to;
      int at = start(slot);
      if (slot >= messages.length || at + 1 + json.length > bytes.length) return null;
      if (!claimed.compareAndSet(slot, slot + 1)) return null;
      write(slot, at, message, json);
      return new Run(this, run.from, slot + 1);
    }

    void write(int slot, int at, ChatMessage message, byte[] json) {
      bytes[at] = ',';
      System.arraycopy(json, 0, bytes, at + 1, json.length);
      ends[slot] = at + 1 + json.length;
      messages[slot] = message;
    }

    /** New storage holding {@code run}'s messages (if any) and then {@code message}, with room to grow. */
    static Run copyOf(Run run, ChatMessage message, byte[] json) {
      int count = run == null ? 0 : run.to - run.from;
      int from = run == null ? 0 : run.store.start(run.from);
      int length = run == null ? 0 : run.store.start(run.to) - from;
      Store s = new Store(Math.max(INITIAL_MESSAGES, 2 * (count + 1)),
          Math.max(INITIAL_BYTES, 2 * (length + 1 + json.length)));
      if (run != null) {
        System.arraycopy(run.store.bytes, from, s.bytes, 0, length);
        System.arraycopy(run.store.messages, run.from, s.messages, 0, count);
        for (int i = 0; i < count; i++) s.ends[i] = run.store.ends[run.from + i] - from;
      }
      s.claimed.set(count + 1);
      s.write(count, length, message, json);
      return new Run(s, 0, count + 1);
    }

    boolean sameBytes(int slot, Store other, int otherSlot) {
      return Arrays.equals(bytes, start(slot), ends[slot], other.bytes, other.start(otherSlot), other.ends[otherSlot]);
    }
  }
}
