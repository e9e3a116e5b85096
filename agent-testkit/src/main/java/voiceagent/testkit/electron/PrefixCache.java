package voiceagent.testkit.electron;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The emulator's prefix-cache simulation. It remembers the prompt tokens of the last {@code entries} requests and
 * reports, for a new prompt, the longest common token prefix with any of them, rounded down to {@code blockTokens},
 * or 0 when that is below {@code minTokens}. Entries not hit for {@code ttlNanos} expire, like idle cache blocks.
 *
 * <p>Thread contract: confined to the emulator's event loop.
 */
final class PrefixCache {
  private final int entries;
  private final int blockTokens;
  private final int minTokens;
  private final long ttlNanos;
  private final ArrayDeque<Entry> recent = new ArrayDeque<>(); // newest first

  PrefixCache(int entries, int blockTokens, int minTokens, long ttlNanos) {
    this.entries = entries;
    this.blockTokens = blockTokens;
    this.minTokens = minTokens;
    this.ttlNanos = ttlNanos;
  }

  /** The cached tokens for {@code prompt} at time {@code now}; then remembers {@code prompt}. */
  int lookupAndStore(int[] prompt, long now) {
    int best = 0;
    for (Iterator<Entry> it = recent.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (now - e.lastUsed > ttlNanos) {
        it.remove();
        continue;
      }
      int common = commonPrefix(prompt, e.tokens);
      if (common > 0) e.lastUsed = now;
      best = Math.max(best, common);
    }
    if (entries > 0) {
      recent.addFirst(new Entry(prompt, now));
      while (recent.size() > entries) recent.removeLast();
    }
    int rounded = best / blockTokens * blockTokens;
    return rounded < minTokens ? 0 : rounded;
  }

  private static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    int i = 0;
    while (i < n && a[i] == b[i]) i++;
    return i;
  }

  private static final class Entry {
    final int[] tokens;
    long lastUsed; // emulator loop only

    Entry(int[] tokens, long lastUsed) {
      this.tokens = tokens;
      this.lastUsed = lastUsed;
    }
  }
}
