package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.UpgradeRejectedException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.common.Secret;
import voiceagent.core.carrier.TwilioSignature;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;

/** Twilio signatures on the webhook and the upgrade, the other carriers' secrets, and the call limit. */
class ServeSecurityTest {
  private static final Map<String, String> FORM = Map.of("CallSid", "CA0001", "From", "+15550001", "To", "+15550002");

  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void webhookWithAValidSignatureConnectsTheCallToTheStream() throws Exception {
    h.start();
    HttpResponse<String> r = webhook(FORM, sign(FORM));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
    assertTrue(r.body().contains("<Response><Connect><Stream url=\"wss://agent.test/twilio/stream\">"), r.body());
  }

  @Test
  void withoutAPublicUrlTheWebhookIsSignedAndAnsweredForTheRequestsHost() throws Exception {
    java.util.Map<String, String> env = new java.util.HashMap<>(ServeHarness.ENV);
    env.remove("PUBLIC_URL");
    h.start(env, s -> s);
    String base = "https://127.0.0.1:" + h.port();
    String signature = TwilioSignature.compute(Secret.ofNullable(ServeHarness.TWILIO_TOKEN), base + "/twilio/voice",
        FORM.entrySet());
    HttpResponse<String> r = webhook(FORM, signature);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("<Stream url=\"wss://127.0.0.1:" + h.port() + "/twilio/stream\">"), r.body());
    assertEquals(403, webhook(FORM, sign(FORM)).statusCode()); // signed for another host
  }

  @Test
  void webhookWithATamperedOrMissingSignatureIsRefusedWithAReasonAndNoSecretInTheLog() throws Exception {
    h.start();
    try (LogCapture logs = new LogCapture()) {
      Map<String, String> tampered = Map.of("CallSid", "CA0001", "From", "+15559999", "To", "+15550002");
      assertEquals(403, webhook(tampered, sign(FORM)).statusCode());
      assertEquals(403, webhook(FORM, null).statusCode());
      String log = logs.all();
      assertTrue(log.contains("Twilio webhook refused") && log.contains("the Twilio signature does not match"), log);
      assertTrue(log.contains("has no X-Twilio-Signature header"), log);
      assertFalse(log.contains(ServeHarness.TWILIO_TOKEN) || log.contains(sign(FORM)), log);
    }
  }

  @Test
  void aWebhookPostWithoutAFormIsAnsweredNotLeftHanging() throws Exception {
    h.start();
    // No Content-Type and a JSON body: read as an empty form, so the signature (over the URL alone) decides.
    String signature = TwilioSignature.compute(Secret.ofNullable(ServeHarness.TWILIO_TOKEN),
        "https://agent.test/twilio/voice", Map.<String, String>of().entrySet());
    for (String type : new String[] {null, "application/json"}) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port() + "/twilio/voice"))
          .timeout(java.time.Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}"));
      if (type != null) b.header("Content-Type", type);
      HttpResponse<String> signed = http.send(b.header(TwilioSignature.HEADER, signature).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, signed.statusCode(), signed.body());
      assertTrue(signed.body().contains("<Connect><Stream"), signed.body());
    }
  }

  @Test
  void upgradeWithATamperedSignatureIsRefused() throws Exception {
    h.start();
    try (LogCapture logs = new LogCapture()) {
      String signedOtherPath = TwilioSignature.compute(Secret.ofNullable(ServeHarness.TWILIO_TOKEN),
          "wss://agent.test/telnyx/stream", List.of());
      CallerOptions tampered = CallerOptions.defaults(CallerProtocol.TWILIO)
          .withHeaders(Map.of(TwilioSignature.HEADER, signedOtherPath));
      assertEquals(401, rejectedStatus(CallerProtocol.TWILIO, tampered));
      assertEquals(401, rejectedStatus(CallerProtocol.TWILIO, CallerOptions.defaults(CallerProtocol.TWILIO)));
      String log = logs.all();
      assertTrue(log.contains("carrier upgrade refused") && log.contains("the Twilio signature does not match"), log);
      assertFalse(log.contains(signedOtherPath), log);
    }
    // The same server takes a correctly signed upgrade.
    CarrierCaller ok = h.dial(CallerProtocol.TWILIO);
    assertTrue(ok.next(ServeHarness.WAIT) instanceof CallerEvent.Audio);
  }

  @Test
  void otherCarriersNeedTheirOwnSecret() throws Exception {
    h.start();
    try (LogCapture logs = new LogCapture()) {
      CallerOptions wrong = CallerOptions.defaults(CallerProtocol.TELNYX)
          .withHeaders(Map.of("x-telnyx-streaming-auth-token", "vonage-secret"));
      assertEquals(401, rejectedStatus(CallerProtocol.TELNYX, wrong));
      assertEquals(401, rejectedStatus(CallerProtocol.VONAGE, CallerOptions.defaults(CallerProtocol.VONAGE)));
      assertEquals(401, rejectedStatus(CallerProtocol.EXOTEL, ServeHarness.authorized(CallerProtocol.TELNYX,
          CallerOptions.defaults(CallerProtocol.EXOTEL))));
      String log = logs.all();
      assertTrue(log.contains("the credential for telnyx does not match"), log);
      assertTrue(log.contains("the upgrade carries no credential for vonage"), log);
      assertFalse(log.contains("vonage-secret") || log.contains("telnyx-secret"), log);
    }
  }

  @Test
  void plivoWithoutATokenInItsStartIsClosedBeforeAnyAudio() throws Exception {
    h.start();
    CarrierCaller caller = h.dial(CallerProtocol.PLIVO, CallerOptions.defaults(CallerProtocol.PLIVO)
        .withCustomParameters(Map.of("token", "wrong")));
    CallerEvent first = caller.next(ServeHarness.WAIT);
    assertTrue(first instanceof CallerEvent.Closed, "expected the socket closed, got " + first);
    ServeHarness.await(h.app.server().callsEnded());
  }

  @Test
  void aFullServerRefusesUpgradesWith503AndTwilioCallersHearTheBusyMessage() throws Exception {
    h.start(s -> s.withMaxCalls(1));
    CarrierCaller first = h.dial(CallerProtocol.TWILIO);
    assertTrue(first.next(ServeHarness.WAIT) instanceof CallerEvent.Audio);
    assertEquals(503, rejectedStatus(CallerProtocol.TELNYX,
        ServeHarness.authorized(CallerProtocol.TELNYX, CallerOptions.defaults(CallerProtocol.TELNYX))));
    HttpResponse<String> r = webhook(FORM, sign(FORM));
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<Response><Say>All our lines are busy right now.") && r.body()
        .contains("</Say><Hangup/></Response>"), r.body());
    // Once the first call ended, a new one is taken.
    ServeHarness.await(first.hangUp());
    ServeHarness.await(h.app.server().callsEnded());
    assertTrue(h.dial(CallerProtocol.TWILIO).next(ServeHarness.WAIT) instanceof CallerEvent.Audio);
  }

  private int rejectedStatus(CallerProtocol p, CallerOptions options) throws Exception {
    try {
      CarrierCaller.connect(h.vertx, h.url(p.path()), options).toCompletionStage().toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException u) return u.getStatus();
      throw e;
    }
    throw new AssertionError("the upgrade was accepted");
  }

  private static String sign(Map<String, String> form) {
    return TwilioSignature.compute(Secret.ofNullable(ServeHarness.TWILIO_TOKEN), "https://agent.test/twilio/voice",
        form.entrySet());
  }

  private HttpResponse<String> webhook(Map<String, String> form, String signature) throws Exception {
    String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port() + "/twilio/voice"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) b.header(TwilioSignature.HEADER, signature);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
