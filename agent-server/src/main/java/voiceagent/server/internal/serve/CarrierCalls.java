package voiceagent.server.internal.serve;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.VertxClock;
import voiceagent.core.Call;
import voiceagent.core.CallEvent;
import voiceagent.core.CallLog;
import voiceagent.core.VoiceAgent;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierControl;
import voiceagent.core.carrier.CarrierEvent;
import voiceagent.core.carrier.CarrierLimits;
import voiceagent.core.carrier.CarrierTransport;
import voiceagent.core.carrier.StreamAuthenticator;

/**
 * Turns a carrier's WebSocket upgrade into a call: refuses it while draining, when unauthenticated or when the server
 * is full (HTTP 503, with a log line saying why), takes the socket with {@link CarrierTransport#accept}, and once the
 * stream started runs a {@link VoiceAgent} call on the socket's own context. The call's events feed the metrics; its
 * end gives the slot back and, for an agent-side end of a Twilio call, asks Twilio's REST API to hang up.
 *
 * <p>Log lines carry {@code call_id}: the connection's ({@code conn-N}) until the carrier names the call, then the
 * carrier's call id.
 *
 * <p>Thread contract: thread-safe; {@link #onUpgrade} runs on the connection's event loop, the call's events on a
 * Reactor worker (one at a time per call).
 */
final class CarrierCalls {
  private static final Logger log = LoggerFactory.getLogger(CarrierCalls.class);
  /** The {@code <Parameter>}/custom parameter that carries a per-call token; never passed on to the prompt. */
  private static final String TOKEN = StreamAuthenticator.TOKEN_PARAMETER;

  private final VoiceAgent agent;
  private final Credentials credentials;
  private final CarrierLimits limits;
  private final LiveCalls calls;
  private final ServerMetrics metrics;
  private final CarrierControl twilio; // null without Twilio REST credentials
  private final String transferTo; // null: no transfer tool
  private final UpstreamHealth upstreams;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicInteger openSockets = new AtomicInteger();
  private volatile boolean draining;
  private volatile boolean ending;

  CarrierCalls(VoiceAgent agent, Credentials credentials, CarrierLimits limits, LiveCalls calls, ServerMetrics metrics,
      CarrierControl twilio, String transferTo, UpstreamHealth upstreams) {
    this.agent = agent;
    this.credentials = credentials;
    this.limits = limits;
    this.calls = calls;
    this.metrics = metrics;
    this.twilio = twilio;
    this.transferTo = transferTo;
    this.upstreams = upstreams;
  }

  /** From now on every upgrade is refused (shutdown). */
  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  /**
   * Ends every call with the goodbye (shutdown, after the grace period), including calls whose stream starts from now
   * on: they were mid-handshake when the last list was taken.
   */
  void endAll() {
    ending = true;
    for (LiveCalls.Live live : calls.snapshot()) {
      log.atInfo().addKeyValue("call_id", live.callId()).log("ending call for shutdown");
      live.call().hangUp();
    }
  }

  /** Carrier WebSockets open now (a leak check: back to 0 when no call runs). */
  int openSockets() {
    return openSockets.get();
  }

  void onUpgrade(Carrier carrier, HttpServerRequest req) {
    long slot = connections.incrementAndGet();
    CallLog callLog = CallLog.of("call_id", "conn-" + slot).with("carrier", carrier.id());
    if (!req.canUpgradeToWebSocket()) {
      req.response().setStatusCode(400).end("expected a WebSocket upgrade on " + carrier.path() + "\n");
      return;
    }
    if (draining) {
      refuse(req, callLog, carrier, 503, "draining", "the server is shutting down");
      return;
    }
    StreamAuthenticator.Decision auth = credentials.upgrade(carrier, req);
    // Plivo has no upgrade credential of its own: its token may come in the start message's extraHeaders.
    boolean tokenAtStart = !auth.accepted() && carrier == Carrier.PLIVO;
    if (!auth.accepted() && !tokenAtStart) {
      refuse(req, callLog, carrier, 401, "unauthenticated", auth.reason());
      return;
    }
    if (!calls.tryReserve()) {
      refuse(req, callLog, carrier, 503, "full", "all " + calls.max() + " call slots are taken");
      return;
    }
    req.toWebSocket().onComplete(ws -> {
      if (ws.failed()) {
        calls.release(slot);
        callLog.warn(log).addKeyValue("error", ws.cause().toString()).log("carrier upgrade failed");
        return;
      }
      // The slot is free once both the call (or its failed start) and the socket have ended: a call counted as ended
      // has let go of everything, its socket included.
      AtomicInteger ends = new AtomicInteger(2);
      Runnable ended = () -> {
        if (ends.decrementAndGet() == 0) calls.release(slot);
      };
      openSockets.incrementAndGet();
      ws.result().endHandler(v -> { // the transport owns the close handler
        openSockets.decrementAndGet();
        ended.run();
      });
      CarrierTransport.accept(ws.result(), carrier, limits, VertxClock.INSTANCE, callLog).onComplete(started -> {
        if (started.failed()) {
          metrics.refused(carrier.id(), "no_start");
          ended.run();
          return; // the transport logged why and closed the socket
        }
        CarrierTransport transport = started.result();
        if (tokenAtStart && !credentials.startToken(carrier, transport.started().customParameters().get(TOKEN))) {
          callLog.warn(log).addKeyValue("reason", auth.reason() + ", and the start message has no valid token")
              .log("carrier stream refused");
          metrics.refused(carrier.id(), "unauthenticated");
          transport.hangUp("unauthenticated");
          ws.result().resume(); // the transport paused it for the session: a paused socket never reads the close reply
          ended.run();
          return;
        }
        startCall(slot, carrier, transport, ended);
      });
    });
  }

  private void startCall(long slot, Carrier carrier, CarrierTransport transport, Runnable ended) {
    CarrierEvent.Started s = transport.started();
    String callId = s.callId() != null ? s.callId() : s.streamId() != null ? s.streamId() : "conn-" + slot;
    Context context = Vertx.currentContext();
    Call call = agent.startCall(context, transport, callId, Map.of());
    calls.register(new LiveCalls.Live(slot, carrier, callId, call));
    metrics.callStarted(carrier);
    if (ending) call.hangUp();
    call.events().subscribe(e -> onEvent(carrier, s, e, ended), error -> {
      log.atWarn().addKeyValue("call_id", callId).addKeyValue("error", error.toString()).log("call events failed");
      ended.run();
    });
  }

  private void onEvent(Carrier carrier, CarrierEvent.Started started, CallEvent event, Runnable ended) {
    switch (event) {
      case CallEvent.TurnEnded t when t.outcome().startsWith("fail") -> metrics.error(carrier, "turn");
      case CallEvent.CallStarted c -> upstreams.speechOk();
      case CallEvent.ToolCallStarted t when t.name().equals(ServeApp.TRANSFER_TOOL) -> transfer(carrier, started);
      case CallEvent.CallEnded end -> {
        metrics.callEnded(carrier, end.reason());
        if (end.reason().startsWith("failed: ")) {
          String service = end.reason().substring("failed: ".length());
          metrics.error(carrier, service);
          upstreams.failed(service);
        }
        ended.run();
        if (carrier == Carrier.TWILIO && twilio != null && agentSide(end.reason()) && started.callId() != null) {
          hangUpByRest(started.callId());
        }
      }
      default -> { }
    }
  }

  /** Twilio replaces the call's TwiML with a {@code <Dial>}: the stream closes, and the caller hears the target ring. */
  private void transfer(Carrier carrier, CarrierEvent.Started started) {
    if (carrier != Carrier.TWILIO || twilio == null || transferTo == null || started.callId() == null) {
      log.atWarn().addKeyValue("call_id", started.callId()).addKeyValue("carrier", carrier.id())
          .log("transfer requested but no call control is configured for this carrier");
      return;
    }
    log.atInfo().addKeyValue("call_id", started.callId()).log("transferring the call");
    twilio.transfer(started.callId(), transferTo).onFailure(e -> log.atWarn()
        .addKeyValue("call_id", started.callId()).addKeyValue("error", e.getMessage()).log("Twilio transfer failed"));
  }

  /**
   * Closing the stream ends {@code <Connect>}, and the TwiML this server returns has nothing after it, so Twilio
   * hangs up by itself; the REST call makes the end immediate and also ends calls set up by other TwiML.
   */
  private void hangUpByRest(String callSid) {
    twilio.hangUp(callSid).onFailure(e -> log.atWarn().addKeyValue("call_id", callSid)
        .addKeyValue("error", e.getMessage()).log("Twilio REST hang-up failed"));
  }

  private static boolean agentSide(String reason) {
    return reason.equals("agent_hang_up") || reason.equals("idle") || reason.equals("hang_up_tool")
        || reason.startsWith("failed");
  }

  private void refuse(HttpServerRequest req, CallLog callLog, Carrier carrier, int status, String kind, String why) {
    callLog.warn(log).addKeyValue("status", status).addKeyValue("reason", why).log("carrier upgrade refused");
    metrics.refused(carrier.id(), kind);
    req.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Connection", "close").end(status == 503 ? "busy: " + why + "\n" : "refused\n");
  }
}
