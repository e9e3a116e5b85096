package voiceagent.testkit.internal.lightning;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import voiceagent.common.Clock;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * One Lightning WebSocket as the service would run it: buffers {@code continue: true} text per request id (an error
 * frame when a request's text passes {@value EmulatorState#MAX_TEXT_CHARS} characters, as the service rejects it),
 * synthesizes on {@code flush} or on a message without {@code continue}, one request at a time, streams
 * {@code chunk} frames at the configured real-time factor with {@code word_timestamp} frames after the chunk a word
 * starts in, then {@code complete} after {@code complete_backoff_ms}. The idle timer restarts on every client message.
 *
 * <p>Thread contract: confined to the socket's context.
 */
public final class EmulatorConnection {
  static final List<Integer> RATES = List.of(8000, 16000, 22050, 24000, 44100, 48000);

  private final ServerWebSocket ws;
  private final Context context;
  private final EmulatorState state;
  private final Clock clock;
  private final int idleSeconds;
  private final String sessionId = "sess-" + UUID.randomUUID();

  // Touched only on `context`.
  private final Map<String, StringBuilder> buffers = new HashMap<>();
  private final ArrayDeque<Job> jobs = new ArrayDeque<>();
  private boolean busy;
  private boolean closed;
  private int served;
  private Clock.Cancellable idleTimer;
  private Clock.Cancellable pacing; // the next chunk or `complete` of the request being streamed

  private record Job(String externalId, String text, int sampleRate, long backoffMillis, boolean words) {}

  public EmulatorConnection(ServerWebSocket ws, Context context, EmulatorState state, int idleSeconds) {
    this.ws = ws;
    this.context = context;
    this.state = state;
    this.clock = state.options().clock();
    this.idleSeconds = idleSeconds;
    ws.textMessageHandler(this::onMessage);
    ws.closeHandler(v -> onClosed());
    restartIdleTimer();
  }

  private void onMessage(String text) {
    restartIdleTimer();
    JsonObject request;
    try {
      request = new JsonObject(text);
    } catch (RuntimeException e) {
      sendError(null, "message is not a JSON object", 400);
      return;
    }
    state.record(request);
    String externalId = request.getString("request_id");
    String missing = EmulatorState.missingField(request, RATES);
    if (missing != null) {
      sendError(externalId, missing, 400);
      return;
    }
    String key = externalId == null ? "" : externalId;
    StringBuilder buffer = buffers.computeIfAbsent(key, k -> new StringBuilder());
    buffer.append(request.getString("text"));
    if (buffer.length() > EmulatorState.MAX_TEXT_CHARS) {
      // A request is everything buffered up to its flush: the limit applies to the whole of it.
      buffers.remove(key);
      sendError(externalId, EmulatorState.TOO_LONG + " (" + buffer.length() + " buffered)", 400);
      return;
    }
    if (request.getBoolean("continue", false) && !request.getBoolean("flush", false)) return;
    buffers.remove(key);
    if (buffer.toString().isBlank()) return; // an empty segment produces nothing, not even `complete`
    jobs.add(new Job(externalId, buffer.toString(), request.getInteger("sample_rate", 44_100),
        request.getLong("complete_backoff_ms", 4000L), request.getBoolean("word_timestamps", false)));
    next();
  }

  private void next() {
    if (busy || closed || jobs.isEmpty()) return;
    busy = true;
    Job job = jobs.poll();
    String requestId = "req-" + ++served;
    EmulatorFault fault = state.takeFault();
    if (fault instanceof EmulatorFault.Fail fail) {
      send(frame("error", requestId, job).put("message", fail.message()));
      busy = false;
      next();
      return;
    }
    if (fault instanceof EmulatorFault.Stall) return; // stays busy: this socket never answers again
    int closeAfter = fault instanceof EmulatorFault.CloseMidStream c ? c.afterChunks() : -1;
    state.addCharacters(job.text().length());
    long started = clock.nanoTime();
    Future.fromCompletionStage(state.voice().render(job.text(), job.sampleRate()), context)
        .onSuccess(speech -> {
          // The first chunk leaves no earlier than the configured first-audio delay after the flush.
          long elapsed = (clock.nanoTime() - started) / 1_000_000;
          after(state.firstAudioMillis() - elapsed, () -> stream(job, requestId, speech, 0, 0, closeAfter));
        })
        .onFailure(e -> {
          send(frame("error", requestId, job).put("message", "synthesis failed: " + e.getMessage()));
          busy = false;
          next();
        });
  }

  /** Sends chunk {@code index} and the words starting in it, then schedules the rest. */
  private void stream(Job job, String requestId, SpeechSynthesizer.Synthesized speech, int index, int wordsSent,
      int closeAfter) {
    int chunkBytes = state.options().chunkBytes();
    byte[] pcm = speech.pcm16();
    int chunks = (pcm.length + chunkBytes - 1) / chunkBytes;
    int words = wordsSent;
    while (!closed && index < chunks) {
      if (index == closeAfter) {
        ws.close((short) 1011, "emulated close mid-stream");
        return;
      }
      int from = index * chunkBytes;
      int to = Math.min(pcm.length, from + chunkBytes);
      String audio = Base64.getEncoder().encodeToString(Arrays.copyOfRange(pcm, from, to));
      send(frame("chunk", requestId, job).put("data", new JsonObject().put("audio", audio)));
      double chunkEnd = to / 2.0 / speech.sampleRate();
      words = sendWords(job, requestId, speech, words, chunkEnd);
      index++;
      double rtf = state.options().realTimeFactor();
      if (rtf > 0 && index < chunks) {
        long delay = Math.max(1, Math.round((to - from) / 2.0 / speech.sampleRate() * 1000 / rtf));
        int nextIndex = index;
        int nextWords = words;
        pacing = clock.schedule(context, delay, () -> stream(job, requestId, speech, nextIndex, nextWords, closeAfter));
        return;
      }
    }
    if (closed) return;
    sendWords(job, requestId, speech, words, Double.MAX_VALUE);
    after(job.backoffMillis(), () -> {
      send(frame("complete", requestId, job));
      busy = false;
      if (state.closeAfterComplete()) ws.close();
      else next();
    });
  }

  private int sendWords(Job job, String requestId, SpeechSynthesizer.Synthesized speech, int from, double before) {
    if (!job.words()) return speech.words().size();
    int i = from;
    for (; i < speech.words().size() && speech.words().get(i).start() < before; i++) {
      SpeechSynthesizer.Word w = speech.words().get(i);
      send(frame("word_timestamp", requestId, job).put("data", new JsonObject()
          .put("id", i).put("word", w.word()).put("start", w.start()).put("end", w.end())));
    }
    return i;
  }

  private void after(long millis, Runnable task) {
    if (millis <= 0) task.run();
    else pacing = clock.schedule(context, millis, task);
  }

  private JsonObject frame(String status, String requestId, Job job) {
    JsonObject f = new JsonObject().put("status", status).put("session_id", sessionId).put("request_id", requestId);
    if (job != null && job.externalId() != null) f.put("external_request_id", job.externalId());
    return f;
  }

  private void sendError(String externalId, String message, int code) {
    JsonObject f = new JsonObject().put("status", "error").put("session_id", sessionId)
        .put("error", new JsonObject().put("message", message).put("code", code));
    if (externalId != null) f.put("external_request_id", externalId);
    send(f);
  }

  private void send(JsonObject frame) {
    if (!closed) ws.writeTextMessage(frame.encode());
  }

  private void restartIdleTimer() {
    if (idleTimer != null) idleTimer.cancel();
    idleTimer = clock.schedule(context, idleSeconds * 1000L, () -> {
      send(new JsonObject().put("status", "error").put("session_id", sessionId)
          .put("message", "Connection timed out after " + idleSeconds + " seconds of inactivity"));
      ws.close();
    });
  }

  private void onClosed() {
    closed = true;
    if (idleTimer != null) idleTimer.cancel();
    if (pacing != null) pacing.cancel();
  }
}
