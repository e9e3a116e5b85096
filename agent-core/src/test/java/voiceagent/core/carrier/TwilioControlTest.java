package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static voiceagent.core.carrier.TransportHarness.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;
import voiceagent.common.Secret;
import voiceagent.testkit.BlockedThreadGuard;

/** The Twilio REST call control against a local HTTP server standing in for api.twilio.com. */
class TwilioControlTest {
  record Request(String method, String path, String authorization, String contentType, String body) {}

  private final Vertx vertx = BlockedThreadGuard.newVertx();
  private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private volatile int status = 200;
  private volatile String reply = "{\"sid\":\"CA1\",\"status\":\"completed\"}";
  private final HttpServer server;
  private final CarrierControl control;

  TwilioControlTest() throws Exception {
    server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.add(new Request(req.method().name(), req.path(), req.getHeader("Authorization"),
          req.getHeader("Content-Type"), body.toString()));
      req.response().setStatusCode(status).putHeader("Twilio-Request-Id", "RQ123").end(reply);
    })).listen(0, "127.0.0.1"));
    control = CarrierControl.twilio(vertx, new TwilioRestConfig("http://127.0.0.1:" + server.actualPort() + "/",
        "AC42", Secret.ofNullable("tok"), 5_000));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void hangUpCompletesTheCallWithBasicAuth() throws Exception {
    await(control.hangUp("CA123"));
    Request r = requests.poll(10, TimeUnit.SECONDS);
    assertEquals(new Request("POST", "/2010-04-01/Accounts/AC42/Calls/CA123.json",
        "Basic " + Base64.getEncoder().encodeToString("AC42:tok".getBytes(StandardCharsets.UTF_8)),
        "application/x-www-form-urlencoded", "Status=completed"), r);
  }

  @Test
  void transferReplacesTheCallsTwimlWithADialEscaped() throws Exception {
    await(control.transfer("CA123", "+15551234567"));
    assertEquals("Twiml=<Response><Dial><Number>+15551234567</Number></Dial></Response>", decoded());
    await(control.transfer("CA123", "sip:desk@example.com?x=<1>&y"));
    assertEquals("Twiml=<Response><Dial><Sip>sip:desk@example.com?x=&lt;1&gt;&amp;y</Sip></Dial></Response>",
        decoded());
  }

  @Test
  void errorsCarryTheKindStatusCodeAndRequestId() throws Exception {
    status = 404;
    reply = "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}";
    AgentException e = failure(control.hangUp("CA404"));
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals(404, e.status());
    assertEquals("20404", e.code());
    assertEquals("RQ123", e.requestId());
    assertFalse(e.retriable());

    status = 503;
    reply = "<html>busy</html>";
    AgentException busy = failure(control.hangUp("CA503"));
    assertEquals(ErrorKind.SERVER, busy.kind());
    assertTrue(busy.retriable());
    status = 401;
    assertEquals(ErrorKind.AUTHENTICATION, failure(control.hangUp("CA401")).kind());
    assertFalse(failure(control.hangUp("CA401")).getMessage().contains("tok"), "the token is never in a message");
  }

  @Test
  void aCallIdThatIsNotASidIsRefusedBeforeAnyRequest() throws Exception {
    AgentException e = failure(control.hangUp("../../Accounts/OTHER"));
    assertEquals(ErrorKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains("callId=../../Accounts/OTHER"));
    assertEquals(ErrorKind.INVALID_REQUEST, failure(control.transfer("CA1", " ")).kind());
    assertTrue(requests.isEmpty());
  }

  @Test
  void anUnreachableApiIsAConnectivityFailure() throws Exception {
    int port = server.actualPort();
    await(server.close());
    CarrierControl dead = CarrierControl.twilio(vertx, new TwilioRestConfig("http://127.0.0.1:" + port, "AC42",
        Secret.ofNullable("tok"), 5_000));
    assertEquals(ErrorKind.CONNECTIVITY, failure(dead.hangUp("CA1")).kind());
  }

  private String decoded() throws InterruptedException {
    return URLDecoder.decode(requests.poll(10, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8);
  }

  private static AgentException failure(Future<?> f) throws Exception {
    try {
      await(f);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return (AgentException) e.getCause();
    }
  }
}
