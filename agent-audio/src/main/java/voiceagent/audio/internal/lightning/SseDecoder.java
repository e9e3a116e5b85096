package voiceagent.audio.internal.lightning;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a Server-Sent Events body into event payloads: {@code data:} lines are joined, a blank line ends the event,
 * {@code event:}, {@code id:} and comment lines are skipped. Lines may span reads; bytes are decoded as UTF-8 only
 * once a line is whole, so a multi-byte character split across reads survives.
 *
 * <p>Thread contract: not thread-safe; one per response, fed on its context.
 */
final class SseDecoder {
  private final Consumer<String> onData;
  private Buffer partial = Buffer.buffer(); // bytes of the unfinished line
  private StringBuilder data; // data lines of the current event, or null

  SseDecoder(Consumer<String> onData) {
    this.onData = onData;
  }

  void feed(Buffer chunk) {
    Buffer all = partial.length() == 0 ? chunk : partial.appendBuffer(chunk);
    int start = 0;
    for (int i = 0; i < all.length(); i++) {
      if (all.getByte(i) == '\n') {
        line(all.getString(start, i, StandardCharsets.UTF_8.name()));
        start = i + 1;
      }
    }
    partial = start == all.length() ? Buffer.buffer() : all.getBuffer(start, all.length());
  }

  /** End of body: a last event without its blank line still counts. */
  void end() {
    if (partial.length() > 0) line(partial.toString(StandardCharsets.UTF_8));
    partial = Buffer.buffer();
    line("");
  }

  private void line(String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.isEmpty()) {
      if (data != null) {
        String payload = data.toString();
        data = null;
        onData.accept(payload);
      }
      return;
    }
    if (!line.startsWith("data:")) return;
    String value = line.substring(5);
    if (value.startsWith(" ")) value = value.substring(1);
    if (data == null) data = new StringBuilder(value);
    else data.append('\n').append(value);
  }
}
