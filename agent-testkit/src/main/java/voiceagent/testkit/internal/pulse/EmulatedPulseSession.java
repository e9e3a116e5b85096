package voiceagent.testkit.internal.pulse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import voiceagent.audio.EnergyVad;
import voiceagent.audio.ALaw;
import voiceagent.audio.MuLaw;
import voiceagent.audio.Pcm16;
import voiceagent.testkit.PulseEmulator;
import voiceagent.testkit.PulseEmulatorOptions;

/**
 * One connection of the {@link PulseEmulator}: decodes the audio, segments it with an {@link EnergyVad}, and sends
 * the scripted partials, finals and VAD events. Times in frames count from this connection's first audio byte.
 *
 * <p>Thread contract: protocol state is confined to the emulator's loop; the recording ({@link #snapshot}) is guarded
 * by {@code this} because tests read it from their own thread.
 */
public final class EmulatedPulseSession implements EnergyVad.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final Context context;
  private final PulseEmulator emulator;
  private final PulseEmulatorOptions options;
  private final ServerWebSocket ws;
  private final String path;
  private final Map<String, String> query;
  private final String sessionId;
  private final String encoding;
  private final int rate;
  private final boolean vadEvents;
  private final boolean endpointing;
  private final boolean wordTimestamps;
  private final long closeAfterBytes;
  private final int faultCode;
  private final EnergyVad vad;
  private final boolean recordAudio;
  private int cycled; // finals taken from the emulator's repeated utterances
  private short[] samples = new short[0];
  private int oddByte = -1; // first byte of a linear16 sample split across frames

  // Protocol state, on the emulator's loop.
  private long pendingStart = -1; // first sample of speech not yet finalized, -1 when none
  private long lastPartialAt;
  private int partials;
  private String lastPartial = ""; // a partial is sent only when its text changes
  private boolean closing;
  private long sendQueueTail; // latency: frames leave in order, each latencyMillis after it was produced

  // Recording, guarded by this.
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
  private final List<String> texts = new ArrayList<>();
  private Integer closeCode;
  private long received;

  public EmulatedPulseSession(Vertx vertx, PulseEmulator emulator, PulseEmulatorOptions options, ServerWebSocket ws,
      String path, Map<String, String> query, long closeAfterBytes, int faultCode, int index,
      boolean recordAudio) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext(); // the socket's context: called from its handler
    this.emulator = emulator;
    this.options = options;
    this.ws = ws;
    this.path = path;
    this.query = Map.copyOf(query);
    this.sessionId = "emu-" + (index + 1);
    this.encoding = query.getOrDefault("encoding", "linear16");
    this.rate = Integer.parseInt(query.getOrDefault("sample_rate", "16000"));
    this.vadEvents = "true".equals(query.getOrDefault("vad_events", query.get("vad")));
    this.endpointing = !"false".equals(query.get("endpointing"));
    this.wordTimestamps = !"false".equals(query.get("word_timestamps"));
    this.closeAfterBytes = closeAfterBytes;
    this.faultCode = faultCode;
    this.recordAudio = recordAudio;
    this.vad = new EnergyVad(options.vad(), rate, this);
    ws.binaryMessageHandler(this::onAudio);
    ws.textMessageHandler(this::onText);
  }

  private void onAudio(Buffer data) {
    if (closing) return;
    byte[] bytes = data.getBytes();
    long total;
    synchronized (this) {
      received += bytes.length;
      if (recordAudio) audio.writeBytes(bytes);
      total = received;
    }
    decodeAndDetect(bytes);
    if (closeAfterBytes >= 0 && total >= closeAfterBytes) {
      closing = true;
      synchronized (this) {
        closeCode = faultCode;
      }
      ws.close((short) faultCode, "emulated fault");
    }
  }

  private void decodeAndDetect(byte[] bytes) {
    int n;
    if (encoding.equals("linear16")) {
      byte[] b = bytes;
      if (oddByte >= 0) {
        b = new byte[bytes.length + 1];
        b[0] = (byte) oddByte;
        System.arraycopy(bytes, 0, b, 1, bytes.length);
      }
      n = b.length / 2;
      oddByte = b.length % 2 == 1 ? b[b.length - 1] & 0xFF : -1;
      ensure(n);
      Pcm16.toShorts(b, 0, n, samples, 0, false);
    } else {
      n = bytes.length;
      ensure(n);
      if (encoding.equals("mulaw")) MuLaw.decode(bytes, 0, n, samples, 0);
      else ALaw.decode(bytes, 0, n, samples, 0);
    }
    vad.process(samples, 0, n);
    if (pendingStart >= 0 && vad.isSpeaking()
        && vad.samplesSeen() - lastPartialAt >= (long) rate * options.partialIntervalMillis() / 1000) {
      lastPartialAt = vad.samplesSeen();
      partials++;
      String text = partialText();
      if (!text.equals(lastPartial)) send(transcription(text, false, false, false, pendingStart, lastPartialAt, false));
      lastPartial = text;
    }
  }

  private void ensure(int n) {
    if (samples.length < n) samples = new short[n];
  }

  @Override
  public void onSpeechStart(long sampleIndex) {
    if (pendingStart < 0) {
      pendingStart = sampleIndex;
      partials = 0;
      lastPartial = "";
    }
    lastPartialAt = vad.samplesSeen();
    if (vadEvents) send(vadEvent("speech_started", sampleIndex));
  }

  @Override
  public void onSpeechEnd(long sampleIndex) {
    if (endpointing && pendingStart >= 0) finalSegment(sampleIndex, false, false);
    if (vadEvents) send(vadEvent("speech_ended", sampleIndex));
  }

  private void onText(String text) {
    synchronized (this) {
      texts.add(text);
    }
    if (closing) return;
    String type;
    try {
      type = JSON.readTree(text).path("type").asText("");
    } catch (JsonProcessingException e) {
      type = "(not JSON)";
    }
    switch (type) {
      case "finalize" -> {
        if (pendingStart >= 0) finalSegment(vad.samplesSeen(), true, false);
        else send(transcription("", true, true, false, vad.samplesSeen(), vad.samplesSeen(), false));
      }
      case "close_stream", "end" -> {
        closing = true;
        if (pendingStart >= 0) finalSegment(vad.samplesSeen(), false, true);
        else send(transcription("", true, false, true, vad.samplesSeen(), vad.samplesSeen(), false));
        later(() -> {
          synchronized (this) {
            closeCode = 1000;
          }
          ws.close((short) 1000, "stream closed");
        });
      }
      default -> send("{\"type\":\"error\",\"status\":\"error\",\"message\":\"unknown message type " + type + "\"}");
    }
  }

  private void finalSegment(long end, boolean fromFinalize, boolean last) {
    String scripted = emulator.nextUtterance();
    if (scripted == null) scripted = emulator.cycled(cycled++);
    String text = scripted != null ? scripted : placeholder(end - pendingStart);
    send(transcription(text, true, fromFinalize, last, pendingStart, end, true));
    pendingStart = -1;
  }

  private String partialText() {
    String next = emulator.peekUtterance();
    if (next == null) next = emulator.cycled(cycled);
    if (next == null) return placeholder(vad.samplesSeen() - pendingStart);
    String[] words = next.split("\\s+");
    return String.join(" ", List.of(words).subList(0, Math.min(partials, words.length)));
  }

  private String placeholder(long samples) {
    return String.format(Locale.ROOT, "[speech %.1f s]", (double) samples / rate);
  }

  private String transcription(String text, boolean isFinal, boolean fromFinalize, boolean last, long start, long end,
      boolean withWords) {
    ObjectNode f = JSON.createObjectNode().put("type", "transcription").put("status", "success")
        .put("session_id", sessionId).put("transcript", text).put("is_final", isFinal).put("is_last", last);
    if (isFinal) f.put("from_finalize", fromFinalize).put("language", query.getOrDefault("language", "en"));
    String[] words = text.isBlank() ? new String[0] : text.split("\\s+");
    if (withWords && wordTimestamps && words.length > 0) {
      ArrayNode array = f.putArray("words");
      double from = (double) start / rate;
      double step = (double) (end - start) / rate / words.length;
      for (int i = 0; i < words.length; i++) {
        array.addObject().put("word", words[i]).put("start", round(from + i * step))
            .put("end", round(from + (i + 1) * step)).put("confidence", 0.99);
      }
    }
    return f.toString();
  }

  private String vadEvent(String type, long sample) {
    return JSON.createObjectNode().put("type", type).put("session_id", sessionId)
        .put("timestamp", round((double) sample / rate)).toString();
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private void send(String frame) {
    later(() -> {
      if (!ws.isClosed()) ws.writeTextMessage(frame);
    });
  }

  /** Runs {@code action} after the configured latency, keeping the order of everything sent. */
  private void later(Runnable action) {
    if (options.latencyMillis() == 0) {
      action.run();
      return;
    }
    long due = Math.max(System.nanoTime() / 1_000_000 + options.latencyMillis(), sendQueueTail);
    sendQueueTail = due;
    vertx.setTimer(Math.max(1, due - System.nanoTime() / 1_000_000), t -> action.run());
  }

  /** Sends {@code frame} as it is, on the loop. */
  public Future<Void> sendRaw(String frame) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> ws.writeTextMessage(frame).onComplete(done));
    return done.future();
  }

  public synchronized PulseEmulator.Connection snapshot() {
    return new PulseEmulator.Connection(path, query, audio.toByteArray(), List.copyOf(texts), closeCode);
  }
}
