package voiceagent.server.internal.serve;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import voiceagent.common.Secret;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.Prices;
import voiceagent.core.carrier.TwilioSignature;
import voiceagent.testkit.LightningEmulatorOptions;
import voiceagent.testkit.carrier.CallerOptions;
import voiceagent.testkit.carrier.CallerProtocol;
import voiceagent.testkit.carrier.CarrierCaller;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * A JUnit extension giving each test a telephony server on a free loopback port, on the three emulators (a fast beep
 * voice at full speed), with one known credential per carrier, and carrier callers that dial it with the right
 * credential.
 */
final class ServeHarness implements BeforeEachCallback, AfterEachCallback {
  static final String PUBLIC_URL = "https://agent.test";
  static final String TWILIO_TOKEN = "twilio-auth-token";
  static final Map<String, String> ENV = Map.of("TWILIO_AUTH_TOKEN", TWILIO_TOKEN,
      "TELNYX_STREAM_SECRET", "telnyx-secret", "PLIVO_STREAM_SECRET", "plivo-secret",
      "VONAGE_STREAM_SECRET", "vonage-secret", "EXOTEL_STREAM_SECRET", "exotel-secret",
      "PUBLIC_URL", PUBLIC_URL, "VOICE_AGENT_HOST", "127.0.0.1", "VOICE_AGENT_GREETING", "Hello caller.",
      "VOICE_AGENT_DTMF_TO_MODEL", "true");
  static final Duration WAIT = Duration.ofSeconds(20);

  Vertx vertx;
  ServeApp app;
  private boolean stopped;

  @Override
  public void beforeEach(ExtensionContext context) {
    vertx = Vertx.vertx();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (app != null && !stopped) app.stop();
    vertx.close().await();
  }

  ServeApp start() {
    return start(s -> s);
  }

  /** Starts the server with the test settings changed by {@code tweak}. */
  ServeApp start(UnaryOperator<ServeSettings> tweak) {
    return start(ENV, tweak);
  }

  ServeApp start(Map<String, String> env, UnaryOperator<ServeSettings> tweak) {
    ConfigTree tree = ConfigTree.load(null, env);
    ServeSettings settings = tweak.apply(ServeSettings.from(tree, 0, false).withShutdownGraceMs(0));
    Upstreams upstreams = Upstreams.emulated(vertx, tree,
        ElectronEmulatorOptions.defaults().withConcurrencyLimit(Integer.MAX_VALUE),
        LightningEmulatorOptions.defaults().withSynthesizer(new BeepVoice()).withRealTimeFactor(0)).await();
    app = ServeApp.start(vertx, tree, settings, upstreams, Prices.LAUNCH_2026_05);
    return app;
  }

  /** Shuts the server down as SIGTERM would (the test asserts on what happens). */
  void stop() {
    stopped = true;
    app.stop();
  }

  int port() {
    return app.server().port();
  }

  String url(String pathAndQuery) {
    return "ws://127.0.0.1:" + port() + pathAndQuery;
  }

  /** Options carrying the carrier's valid credential, as the carrier would present it. */
  static CallerOptions authorized(CallerProtocol p, CallerOptions o) {
    return switch (p) {
      case TWILIO -> o.withHeaders(Map.of(TwilioSignature.HEADER, TwilioSignature.compute(Secret.ofNullable(
          TWILIO_TOKEN), PUBLIC_URL.replace("https://", "wss://") + p.path(), List.of())));
      case TELNYX -> o.withHeaders(Map.of("x-telnyx-streaming-auth-token", "telnyx-secret"));
      case PLIVO -> o.withCustomParameters(merge(o.customParameters(), "token", "plivo-secret"));
      case VONAGE -> o.withHeaders(Map.of("Authorization", "Bearer vonage-secret"));
      case EXOTEL -> o.withHeaders(Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          "exotel-key:exotel-secret".getBytes(StandardCharsets.UTF_8))));
    };
  }

  /** Dials {@code p}'s endpoint with a valid credential and the carrier's default format. */
  CarrierCaller dial(CallerProtocol p) {
    return dial(p, authorized(p, CallerOptions.defaults(p)));
  }

  CarrierCaller dial(CallerProtocol p, CallerOptions options) {
    return await(CarrierCaller.connect(vertx, url(p.path()), options));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not completed within " + WAIT + ": " + e, e);
    }
  }

  private static Map<String, String> merge(Map<String, String> m, String k, String v) {
    Map<String, String> copy = new HashMap<>(m);
    copy.put(k, v);
    return copy;
  }
}
