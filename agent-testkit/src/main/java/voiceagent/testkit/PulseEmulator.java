package voiceagent.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import voiceagent.audio.PulseConfig;
import voiceagent.testkit.internal.pulse.EmulatedPulseSession;
import voiceagent.testkit.internal.pulse.QueryParams;

/**
 * A stand-in for Smallest AI Pulse streaming STT that speaks its WebSocket protocol on a loopback port: it decodes the
 * audio ({@code mulaw}, {@code alaw}, {@code linear16} at the query's {@code sample_rate}), finds speech with an
 * energy VAD, and answers with partials and finals taken from a script of expected utterances.
 *
 * <p>Each speech segment (or a {@code finalize} with speech pending) consumes the next scripted utterance: partials
 * are growing word prefixes of it while the speech lasts, the final carries it whole with word times spread over the
 * segment. Without a script the final says {@code "[speech 1.2 s]"}, the segment's length. With
 * {@code endpointing=false} finals come only from {@code finalize} and {@code close_stream}; {@code vad_events=true}
 * adds {@code speech_started}/{@code speech_ended}. A {@code finalize} with no speech pending answers with an empty
 * from-finalize final. {@code close_stream} gets the terminal {@code is_last} final, then a 1000 close.
 *
 * <p>Faults: {@link #closeAfterBytes} (close 1011 mid-stream) and {@link #rejectNextUpgrade}. Every connection is
 * recorded with its query and the audio bytes received, so tests can prove no audio was lost across a reconnect.
 *
 * <p>Thread contract: thread-safe; configure and inspect from any thread. Sockets are served on the emulator's loop.
 */
public final class PulseEmulator {
  private static final Set<String> ENCODINGS = Set.of("mulaw", "alaw", "linear16");
  private static final Set<String> RATES = Set.of("8000", "16000", "22050", "24000", "44100", "48000");

  private final Vertx vertx;
  private final PulseEmulatorOptions options;
  private HttpServer server;
  // Guarded by this.
  private final ArrayDeque<String> script = new ArrayDeque<>();
  private final List<EmulatedPulseSession> sessions = new ArrayList<>();
  private List<String> cycle = List.of();
  private boolean recording = true;
  private long closeAfterBytes = -1;
  private int faultCode;
  private int rejectStatus;

  private PulseEmulator(Vertx vertx, PulseEmulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** Starts an emulator on a free loopback port. */
  public static Future<PulseEmulator> start(Vertx vertx, PulseEmulatorOptions options) {
    return start(vertx, options, 0);
  }

  /** Starts an emulator on loopback port {@code port} (0: a free one). */
  public static Future<PulseEmulator> start(Vertx vertx, PulseEmulatorOptions options, int port) {
    PulseEmulator e = new PulseEmulator(vertx, options);
    return vertx.createHttpServer().requestHandler(e::onRequest).listen(port, "127.0.0.1").map(s -> {
      e.server = s;
      return e;
    });
  }

  /** Where to point {@code PULSE_BASE_URL}: {@code ws://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "ws://127.0.0.1:" + server.actualPort();
  }

  /** Appends utterances to the script; each speech segment or answered finalize consumes one. */
  public synchronized PulseEmulator expectUtterances(String... transcripts) {
    script.addAll(Arrays.asList(transcripts));
    return this;
  }

  /**
   * Utterances each connection's finals cycle through once the shared script is empty (connection by connection, from
   * the first): a load test's callers then get real questions rather than {@code "[speech 1.2 s]"}.
   */
  public synchronized PulseEmulator repeatUtterances(String... transcripts) {
    cycle = List.of(transcripts);
    return this;
  }

  /**
   * Whether connections keep the audio they receive and stay listed after they close (default true). Off for long
   * runs (a load test's emulator), where the recording would grow by 8 KB a second per call.
   */
  public synchronized PulseEmulator recording(boolean on) {
    recording = on;
    return this;
  }

  synchronized boolean recording() {
    return recording;
  }

  /** The {@code n}th utterance of the {@link #repeatUtterances cycle}, or {@code null} without one. */
  public synchronized String cycled(int n) {
    return cycle.isEmpty() ? null : cycle.get(Math.floorMod(n, cycle.size()));
  }

  /** The next connection closes abruptly (1011) once it has received at least {@code n} audio bytes. */
  public PulseEmulator closeAfterBytes(long n) {
    return closeAfterBytes(n, 1011);
  }

  /** As {@link #closeAfterBytes(long)} with close code {@code code} (1008: the plan's session cap). */
  public synchronized PulseEmulator closeAfterBytes(long n, int code) {
    closeAfterBytes = n;
    faultCode = code;
    return this;
  }

  /** The next upgrade request is refused with HTTP {@code status} before any check. */
  public synchronized PulseEmulator rejectNextUpgrade(int status) {
    rejectStatus = status;
    return this;
  }

  /** Sends {@code frame} as a text frame on the newest connection: for tests of frame variants. */
  public Future<Void> sendRaw(String frame) {
    EmulatedPulseSession s;
    synchronized (this) {
      if (sessions.isEmpty()) return Future.failedFuture(new IllegalStateException("no connection yet"));
      s = sessions.get(sessions.size() - 1);
    }
    return s.sendRaw(frame);
  }

  /** What each connection so far received and how it ended, oldest first. */
  public synchronized List<Connection> connections() {
    return sessions.stream().map(EmulatedPulseSession::snapshot).toList();
  }

  /** The audio bytes each connection received, oldest first. */
  public List<byte[]> receivedAudio() {
    return connections().stream().map(Connection::audio).toList();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** Takes the next scripted utterance, or {@code null} when the script is empty. */
  public synchronized String nextUtterance() {
    return script.poll();
  }

  /** The utterance the next final will carry, or {@code null}. */
  public synchronized String peekUtterance() {
    return script.peek();
  }

  private void onRequest(HttpServerRequest req) {
    int reject;
    long closeAfter;
    int code;
    synchronized (this) {
      reject = rejectStatus;
      rejectStatus = 0;
    }
    String path = req.path();
    Map<String, String> query = QueryParams.parse(req.query());
    if (reject != 0) {
      refuse(req, reject, "rejected by test");
    } else if (!path.equals(PulseConfig.LIVE_PATH) && !path.equals(PulseConfig.LEGACY_PATH)) {
      refuse(req, 404, "no such path");
    } else if (options.expectedApiKey() != null
        && !("Bearer " + options.expectedApiKey()).equals(req.getHeader("Authorization"))) {
      refuse(req, 401, "Unauthorized");
    } else if (path.equals(PulseConfig.LIVE_PATH) && !"pulse".equals(query.get("model"))) {
      refuse(req, 400, "model must be pulse, got " + query.get("model"));
    } else if (!ENCODINGS.contains(query.getOrDefault("encoding", "linear16"))) {
      refuse(req, 400, "unsupported encoding " + query.get("encoding"));
    } else if (!RATES.contains(query.getOrDefault("sample_rate", "16000"))) {
      refuse(req, 400, "unsupported sample_rate " + query.get("sample_rate"));
    } else if (!req.canUpgradeToWebSocket()) {
      refuse(req, 400, "expected a WebSocket upgrade");
    } else {
      synchronized (this) {
        closeAfter = closeAfterBytes;
        code = faultCode;
        closeAfterBytes = -1;
      }
      req.toWebSocket().onSuccess(ws -> {
        EmulatedPulseSession session;
        synchronized (this) {
          session = new EmulatedPulseSession(vertx, this, options, ws, path, query, closeAfter, code, sessions.size(),
              recording);
          sessions.add(session);
        }
        if (!recording()) ws.closeHandler(v -> forget(session));
      });
    }
  }

  private synchronized void forget(EmulatedPulseSession session) {
    sessions.remove(session);
  }

  private static void refuse(HttpServerRequest req, int status, String message) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end("{\"status\":\"error\",\"message\":\"" + message.replace("\"", "'") + "\"}");
  }

  /**
   * One connection as the emulator saw it.
   *
   * @param query        the query parameters of the upgrade
   * @param audio        every binary byte received, in order
   * @param textMessages the client's text frames ({@code finalize}, {@code close_stream})
   * @param closeCode    the close code the emulator sent, or {@code null} while open or when the client closed
   */
  public record Connection(String path, Map<String, String> query, byte[] audio, List<String> textMessages,
      Integer closeCode) {}
}
