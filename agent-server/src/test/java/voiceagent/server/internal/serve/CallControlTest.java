package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.audio.AudioFormat;
import voiceagent.common.Secret;
import voiceagent.core.carrier.TwilioRestConfig;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;
import voiceagent.testkit.electron.ElectronReply;

/** The hang-up and transfer tools reach Twilio's Calls API (a local stand-in recording what it is sent). */
class CallControlTest {
  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";

  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  private final BlockingQueue<String> twilioRequests = new LinkedBlockingQueue<>();
  private HttpServer twilioApi;

  @BeforeEach
  void twilioApi() {
    twilioApi = h.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      twilioRequests.add(req.method() + " " + req.path() + " " + URLDecoder.decode(body.toString(),
          StandardCharsets.UTF_8));
      req.response().putHeader("Content-Type", "application/json").end("{\"sid\":\"" + CALL_SID + "\"}");
    })).listen(0, "127.0.0.1").await();
  }

  private void startServer() {
    TwilioRestConfig rest = new TwilioRestConfig("http://127.0.0.1:" + twilioApi.actualPort(), "AC123",
        Secret.ofNullable(ServeHarness.TWILIO_TOKEN), 10_000);
    h.start(s -> s.withTwilioRest(rest).withTransferTo("+15550100"));
  }

  private CarrierCaller dial() {
    return h.dial(CallerProtocol.TWILIO, ServeHarness.authorized(CallerProtocol.TWILIO,
        CallerOptions.defaults(CallerProtocol.TWILIO).withIds("MZ0001", CALL_SID)));
  }

  @Test
  void theHangUpToolEndsTheCallThroughTwilio() throws Exception {
    startServer();
    CarrierCaller caller = dial();
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    h.app.upstreams().emulators().pulse().expectUtterances("thanks, bye");
    caller.sendAudio(CallerAudio.utterance(AudioFormat.MULAW_8K, 600), true); // the agent may hang up before its end
    CallerEvent.Closed closed = caller.next(CallerEvent.Closed.class, ServeHarness.WAIT);
    assertEquals(1000, closed.code());
    assertEquals("POST /2010-04-01/Accounts/AC123/Calls/" + CALL_SID + ".json Status=completed",
        twilioRequests.poll(20, TimeUnit.SECONDS));
  }

  @Test
  void theTransferToolDialsTheConfiguredNumberThroughTwilio() throws Exception {
    startServer();
    h.app.upstreams().emulators().electron().enqueue(
        ElectronReply.builder().toolCall("call_1", ServeApp.TRANSFER_TOOL, "{}").build(),
        ElectronReply.text("Transferring you now."));
    CarrierCaller caller = dial();
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    h.app.upstreams().emulators().pulse().expectUtterances("I want to talk to a person");
    ServeHarness.await(caller.sendAudio(CallerAudio.utterance(AudioFormat.MULAW_8K, 600), true));
    String request = twilioRequests.poll(20, TimeUnit.SECONDS);
    assertEquals("POST /2010-04-01/Accounts/AC123/Calls/" + CALL_SID + ".json Twiml=<Response><Dial><Number>+15550100"
        + "</Number></Dial></Response>", request);
    assertTrue(h.app.upstreams().emulators().electron().requests().get(0).body().contains("\"transfer_call\""));
  }
}
