package voiceagent.common.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental Server-Sent Events decoder, shared by the Electron stream and Lightning's SSE fallback: feed it network buffers as they arrive, in any split, and it calls the sink
 * once per complete event. Lines may end in LF, CRLF or CR (a CR at the end of one buffer and the LF at the start of
 * the next count once); comment lines ({@code : ping}) and {@code id:}/{@code retry:} fields are skipped; several
 * {@code data:} lines of one event are joined with LF; an event with no data is not dispatched. Lines are decoded as
 * UTF-8 only when complete, so a multi-byte character split across reads survives.
 *
 * <p>Thread contract: not thread-safe; used by one stream on its context.
 */
public final class SseDecoder {

  /** Receives complete events. */
  @FunctionalInterface
  public interface Sink {
    /** One event: {@code event} is the {@code event:} field or {@code null}; {@code data} the joined data lines. */
    void onEvent(String event, String data);
  }

  /** A line longer than this is a protocol error rather than something to buffer forever (16 MiB). */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final Sink sink;
  private byte[] line = new byte[1024];
  private int lineLength;
  private boolean lastWasCr;
  private String eventName;
  private StringBuilder data;

  public SseDecoder(Sink sink) {
    this.sink = sink;
  }

  /** Decodes every complete line in {@code buffer}; a partial trailing line is kept for the next call. */
  public void feed(Buffer buffer) {
    byte[] bytes = buffer.getBytes();
    feed(bytes, 0, bytes.length);
  }

  /** As {@link #feed(Buffer)}, from {@code bytes[off..off+len)}. */
  public void feed(byte[] bytes, int off, int len) {
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false; // the LF of a CRLF whose CR ended the line already
          continue;
        }
        endLine();
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
        continue;
      } else {
        append(b);
      }
      lastWasCr = false;
    }
  }

  /** The stream ended: a last line without a line end, and an event without its blank line, still count. */
  public void end() {
    if (lineLength > 0) endLine();
    dispatch();
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      if (line.length >= MAX_LINE_BYTES) {
        throw new IllegalStateException("SSE line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    int len = lineLength;
    lineLength = 0;
    if (len == 0) {
      dispatch();
      return;
    }
    if (line[0] == ':') return; // comment / keep-alive
    int colon = indexOf(line, len, (byte) ':');
    String field = new String(line, 0, colon < 0 ? len : colon, StandardCharsets.UTF_8);
    String value = "";
    if (colon >= 0) {
      int start = colon + 1;
      if (start < len && line[start] == ' ') start++;
      value = new String(line, start, len - start, StandardCharsets.UTF_8);
    }
    switch (field) {
      case "data" -> {
        if (data == null) data = new StringBuilder(value.length());
        else data.append('\n');
        data.append(value);
      }
      case "event" -> eventName = value;
      default -> { } // id, retry and unknown fields carry nothing a chat stream needs
    }
  }

  private void dispatch() {
    StringBuilder d = data;
    String name = eventName;
    data = null;
    eventName = null;
    if (d != null) sink.onEvent(name, d.toString());
  }

  private static int indexOf(byte[] bytes, int len, byte target) {
    for (int i = 0; i < len; i++) if (bytes[i] == target) return i;
    return -1;
  }
}
