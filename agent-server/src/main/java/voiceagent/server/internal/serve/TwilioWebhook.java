package voiceagent.server.internal.serve;

import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.core.CallLog;
import voiceagent.core.carrier.Carrier;

/**
 * Twilio's answer webhook ({@code POST /twilio/voice}): checks {@code X-Twilio-Signature} over the URL and the form
 * parameters, then answers TwiML that connects the call to {@code wss://HOST/twilio/stream} (bidirectional
 * {@code <Connect><Stream>}). Nothing follows {@code </Connect>}: when the agent closes the stream, the call ends.
 * When the server is full or shutting down the caller hears {@code server.busy_message} and the call hangs up.
 *
 * <p>Thread contract: immutable; runs on the connection's event loop.
 */
final class TwilioWebhook {
  private static final Logger log = LoggerFactory.getLogger(TwilioWebhook.class);
  /** Twilio's form posts are a few hundred bytes; this bound keeps a hostile body from growing without limit. */
  private static final int MAX_FORM_ATTRIBUTE_BYTES = 8192;

  private final Credentials credentials;
  private final LiveCalls calls;
  private final CarrierCalls carrierCalls;
  private final ServerMetrics metrics;
  private final String busyMessage;

  TwilioWebhook(Credentials credentials, LiveCalls calls, CarrierCalls carrierCalls, ServerMetrics metrics,
      String busyMessage) {
    this.credentials = credentials;
    this.calls = calls;
    this.carrierCalls = carrierCalls;
    this.metrics = metrics;
    this.busyMessage = busyMessage;
  }

  void onRequest(HttpServerRequest req) {
    // Twilio posts a form; anything else (no body, JSON) is read as an empty form, never a decoding failure.
    String type = req.getHeader("Content-Type");
    if (type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
        || type.regionMatches(true, 0, "multipart/form-data", 0, 19))) {
      req.setExpectMultipart(true);
    }
    req.exceptionHandler(e -> log.atDebug().addKeyValue("error", e.toString()).log("Twilio webhook read failed"));
    req.end().onSuccess(v -> answer(req));
  }

  private void answer(HttpServerRequest req) {
    String callSid = req.getFormAttribute("CallSid");
    CallLog callLog = CallLog.of("call_id", callSid == null ? "webhook" : callSid).with("carrier", "twilio");
    if (!credentials.twilioWebhook(req, req.formAttributes())) {
      String reason = credentials.twilioWebhookRefusal(req);
      callLog.warn(log).addKeyValue("status", 403).addKeyValue("reason", reason).log("Twilio webhook refused");
      metrics.refused(Carrier.TWILIO.id(), "unauthenticated");
      req.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end("refused\n");
      return;
    }
    String twiml;
    if (carrierCalls.draining() || calls.active() >= calls.max()) {
      String why = carrierCalls.draining() ? "draining" : "full";
      callLog.warn(log).addKeyValue("reason", why).log("Twilio call turned away with the busy message");
      metrics.refused(Carrier.TWILIO.id(), why);
      twiml = "<Response><Say>" + xml(busyMessage) + "</Say><Hangup/></Response>";
    } else {
      String stream = credentials.baseUrl(req).replaceFirst("(?i)^https://", "wss://")
          .replaceFirst("(?i)^http://", "ws://") + Carrier.TWILIO.path();
      callLog.info(log).addKeyValue("stream_url", stream).log("Twilio call answered");
      twiml = "<Response><Connect><Stream url=\"" + xml(stream) + "\"></Stream></Connect></Response>";
    }
    req.response().putHeader("Content-Type", "text/xml; charset=utf-8")
        .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + twiml);
  }

  static int maxFormAttributeBytes() {
    return MAX_FORM_ATTRIBUTE_BYTES;
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
