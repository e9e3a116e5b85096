package voiceagent.core.internal.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.core.carrier.CarrierControl;
import voiceagent.core.carrier.TwilioRestConfig;

/**
 * {@link CarrierControl} over Twilio's Calls API: a hang-up updates the call with {@code Status=completed}, a transfer
 * replaces its TwiML with {@code <Dial>} to the target. One pooled HTTP client per instance.
 *
 * <p>Thread contract: thread-safe (immutable; Vert.x's client calls back on the caller's context).
 */
public final class TwilioRestControl implements CarrierControl {
  private static final Logger log = LoggerFactory.getLogger(TwilioRestControl.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "twilio";

  private final HttpClient client;
  private final TwilioRestConfig config;
  private final String authorization;

  public TwilioRestControl(Vertx vertx, TwilioRestConfig config) {
    this.client = vertx.createHttpClient();
    this.config = config;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        (config.accountSid() + ":" + config.authToken().reveal()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<Void> hangUp(String callId) {
    return updateCall(callId, "Status=completed", "hang_up");
  }

  @Override
  public Future<Void> transfer(String callId, String target) {
    if (target == null || target.isBlank()) {
      return Future.failedFuture(new AgentException(ErrorKind.INVALID_REQUEST, SERVICE, "transfer target is empty"));
    }
    String t = target.strip();
    String noun = t.regionMatches(true, 0, "sip:", 0, 4) ? "Sip" : "Number";
    String twiml = "<Response><Dial><" + noun + ">" + xml(t) + "</" + noun + "></Dial></Response>";
    return updateCall(callId, "Twiml=" + URLEncoder.encode(twiml, StandardCharsets.UTF_8), "transfer");
  }

  private Future<Void> updateCall(String callId, String form, String action) {
    // The call id goes into the URL path: anything but a SID's characters could address another resource.
    if (callId == null || !callId.matches("[A-Za-z0-9]{1,64}")) {
      return Future.failedFuture(new AgentException(ErrorKind.INVALID_REQUEST, SERVICE,
          "callId=" + callId + " is not a Twilio call SID"));
    }
    String url = config.baseUrl() + "/2010-04-01/Accounts/" + config.accountSid() + "/Calls/" + callId + ".json";
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setIdleTimeout(config.timeoutMillis())
        .putHeader("Authorization", authorization)
        .putHeader("Content-Type", "application/x-www-form-urlencoded");
    return client.request(options)
        .compose(req -> req.send(Buffer.buffer(form)))
        .recover(e -> Future.failedFuture(transportError(e)))
        .compose(resp -> resp.body().compose(body -> outcome(resp, body)))
        .onSuccess(v -> log.atInfo().addKeyValue("call_id", callId).addKeyValue("action", action)
            .log("carrier call updated"))
        .onFailure(e -> log.atWarn().addKeyValue("call_id", callId).addKeyValue("action", action)
            .addKeyValue("error", e.toString()).log("carrier call update failed"));
  }

  private static Future<Void> outcome(HttpClientResponse resp, Buffer body) {
    int status = resp.statusCode();
    if (status >= 200 && status < 300) return Future.succeededFuture();
    String code = null;
    String message = "HTTP " + status;
    try {
      JsonNode json = JSON.readTree(body.getBytes());
      if (json != null && json.has("code")) code = json.get("code").asText();
      if (json != null && json.hasNonNull("message")) message += ": " + json.get("message").asText();
    } catch (java.io.IOException | RuntimeException e) {
      // Not Twilio's JSON error body (a proxy's page): the status alone says what happened.
    }
    ErrorKind kind = switch (status) {
      case 401, 403 -> ErrorKind.AUTHENTICATION;
      case 404 -> ErrorKind.NOT_FOUND;
      case 429 -> ErrorKind.RATE_LIMITED;
      default -> status >= 500 ? ErrorKind.SERVER : ErrorKind.INVALID_REQUEST;
    };
    boolean retriable = status == 429 || status == 502 || status == 503;
    return Future.failedFuture(new AgentException(kind, SERVICE, message, retriable, status, code,
        resp.getHeader("Twilio-Request-Id"), null));
  }

  private static AgentException transportError(Throwable e) {
    if (e instanceof AgentException a) return a;
    ErrorKind kind = e instanceof java.util.concurrent.TimeoutException
        || String.valueOf(e.getMessage()).contains("timeout") ? ErrorKind.TIMEOUT : ErrorKind.CONNECTIVITY;
    return new AgentException(kind, SERVICE, "Twilio API unreachable: " + e.getMessage(), true, null, null, null, e);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
