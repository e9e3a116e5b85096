package voiceagent.server.internal.serve;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
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
  private final UpstreamHealth upstreams;
  private final AtomicLong connections = new AtomicLong();
  private volatile boolean draining;

  CarrierCalls(VoiceAgent agent, Credentials credentials, CarrierLimits limits, LiveCalls calls, ServerMetrics metrics,
      CarrierControl twilio, UpstreamHealth upstreams) {
    this.agent = agent;
    this.credentials = credentials;
    this.limits = limits;
    this.calls = calls;
    this.metrics = metrics;
    this.twilio = twilio;
    this.upstreams = upstreams;
  }

  /** From now on every upgrade is refused (shutdown). */
  void drain() {
    draining = true;
  }

  boolean draining() {
    return draining;
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
      CarrierTransport.accept(ws.result(), carrier, limits, VertxClock.INSTANCE, callLog).onComplete(started -> {
        if (started.failed()) {
          calls.release(slot);
          metrics.refused(carrier.id(), "no_start");
          return; // the transport logged why and closed the socket
        }
        CarrierTransport transport = started.result();
        if (tokenAtStart && !credentials.startToken(carrier, transport.started().customParameters().get(TOKEN))) {
          callLog.warn(log).addKeyValue("reason", auth.reason() + ", and the start message has no valid token")
              .log("carrier stream refused");
          metrics.refused(carrier.id(), "unauthenticated");
          transport.hangUp("unauthenticated");
          calls.release(slot);
          return;
        }
        startCall(slot, carrier, transport);
      });
    });
  }

  private void startCall(long slot, Carrier carrier, CarrierTransport transport) {
    CarrierEvent.Started s = transport.started();
    String callId = s.callId() != null ? s.callId() : s.streamId() != null ? s.streamId() : "conn-" + slot;
    Context context = Vertx.currentContext();
    Call call = agent.startCall(context, transport, callId, Map.of());
    calls.register(new LiveCalls.Live(slot, carrier, callId, call));
    metrics.callStarted(carrier);
    call.events().subscribe(e -> onEvent(slot, carrier, s, e), error -> {
      log.atWarn().addKeyValue("call_id", callId).addKeyValue("error", error.toString()).log("call events failed");
      calls.release(slot);
    });
  }

  private void onEvent(long slot, Carrier carrier, CarrierEvent.Started started, CallEvent event) {
    switch (event) {
      case CallEvent.TurnEnded t when t.outcome().startsWith("fail") -> metrics.error(carrier, "turn");
      case CallEvent.CallStarted c -> upstreams.speechOk();
      case CallEvent.CallEnded end -> {
        metrics.callEnded(carrier, end.reason());
        if (end.reason().startsWith("failed: ")) {
          String service = end.reason().substring("failed: ".length());
          metrics.error(carrier, service);
          upstreams.failed(service);
        }
        calls.release(slot);
        if (carrier == Carrier.TWILIO && twilio != null && agentSide(end.reason()) && started.callId() != null) {
          hangUpByRest(started.callId());
        }
      }
      default -> { }
    }
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
