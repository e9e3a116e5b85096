package voiceagent.server.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import voiceagent.audio.AudioFormat;
import voiceagent.testkit.carrier.CallerEvent;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;

/** {@code /health}, {@code /metrics}, and the graceful shutdown SIGTERM triggers. */
class ServeOperationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final ServeHarness h = new ServeHarness();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthCountsLiveCallsAndDescribesTheUpstreams() throws Exception {
    h.start();
    CarrierCaller caller = h.dial(CallerProtocol.TWILIO);
    caller.next(CallerEvent.Audio.class, ServeHarness.WAIT);
    JsonNode live = JSON.readTree(get("/health").body());
    assertEquals("ok", live.path("status").asText());
    assertEquals(1, live.path("live_calls").asInt());
    assertEquals(1000, live.path("max_calls").asInt());
    JsonNode up = live.path("upstreams");
    assertEquals("emulator", up.path("mode").asText());
    assertTrue(up.path("electron").path("base_url").asText().startsWith("http://127.0.0.1:"), up.toString());
    assertEquals(0, up.path("electron").path("queue_depth").asInt());
    assertEquals("ok", up.path("pulse").path("state").asText());
    assertEquals("ok", up.path("lightning").path("state").asText());
    ServeHarness.await(caller.hangUp());
    ServeHarness.await(h.app.server().callsEnded());
    assertEquals(0, JSON.readTree(get("/health").body()).path("live_calls").asInt());
  }

  @Test
  void metricsHaveCallsLatencyHistogramsCostGovernorCpuAndHeap() throws Exception {
    h.start();
    CarrierCaller caller = h.dial(CallerProtocol.TWILIO);
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    h.app.upstreams().emulators().pulse().expectUtterances("what's the weather in Paris");
    ServeHarness.await(caller.sendAudio(CallerAudio.utterance(AudioFormat.MULAW_8K, 800), true));
    h.app.upstreams().emulators().electron().takeRequest(20, TimeUnit.SECONDS);
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    ServeHarness.await(caller.hangUp());
    ServeHarness.await(h.app.server().callsEnded());
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String m = r.body();
    for (String expected : new String[] {
        "voice_agent_calls_started_total{carrier=\"twilio\"} 1.0",
        "voice_agent_calls_ended_total{carrier=\"twilio\",reason=\"caller_hang_up\"} 1.0",
        "voice_agent_calls_active 0.0",
        "voice_agent_turn_latency_seconds_bucket{hop=\"end_of_speech_to_first_frame\",le=",
        "voice_agent_turn_latency_seconds_count{hop=\"first_token\"} 1",
        "voice_agent_cost_usd_total",
        "voice_agent_electron_queue_depth 0.0",
        "voice_agent_electron_in_flight 0.0",
        "voice_agent_process_cpu_seconds ",
        "voice_agent_heap_used_bytes ",
        "process_cpu_usage ",
        "jvm_memory_used_bytes{area=\"heap\""}) {
      assertTrue(m.contains(expected), "no " + expected + " in\n" + m);
    }
  }

  @Test
  void drainingRefusesNewCallsAndLetsTheLiveOneFinish() throws Exception {
    h.start(s -> s.withShutdownGraceMs(600_000));
    CarrierCaller caller = h.dial(CallerProtocol.TWILIO);
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    Future<Void> stopped = h.app.server().shutdown();
    assertEquals(503, get("/health").statusCode());
    assertTrue(get("/health").body().contains("\"status\":\"draining\""));
    try {
      ServeHarness.await(CarrierCaller.connect(h.vertx, h.url("/twilio/stream"),
          ServeHarness.authorized(CallerProtocol.TWILIO, CallerOptions.defaults(CallerProtocol.TWILIO))));
      throw new AssertionError("an upgrade was accepted while draining");
    } catch (AssertionError e) {
      assertTrue(e.getCause() instanceof ExecutionException x && x.getCause() instanceof UpgradeRejectedException u
          && u.getStatus() == 503, e.toString());
    }
    assertTrue(!stopped.isComplete(), "stopped with a call live");
    // The live call still works, and the server stops once it ended.
    ServeHarness.await(caller.sendDtmf("3"));
    assertEquals("[The caller pressed the keys: 3]", h.app.upstreams().emulators().electron()
        .takeRequest(20, TimeUnit.SECONDS).lastUserText());
    ServeHarness.await(caller.hangUp());
    ServeHarness.await(stopped);
  }

  @Test
  void afterTheGracePeriodLiveCallsHearTheGoodbyeAndAreEnded() throws Exception {
    h.start(s -> s.withShutdownGraceMs(0));
    CarrierCaller caller = h.dial(CallerProtocol.TWILIO);
    caller.next(CallerEvent.Mark.class, ServeHarness.WAIT);
    long before = caller.receivedAudioBytes();
    h.stop();
    assertEquals(0, h.app.server().liveCalls());
    CallerEvent.Closed closed = caller.next(CallerEvent.Closed.class, ServeHarness.WAIT);
    assertEquals(1000, closed.code());
    // "We are closing the line now. Please call again later. Goodbye.": ten words of at least 100 ms each.
    long goodbye = caller.receivedAudioBytes() - before;
    assertTrue(goodbye >= AudioFormat.MULAW_8K.bytesFor(1000), "goodbye audio " + goodbye + " bytes");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
