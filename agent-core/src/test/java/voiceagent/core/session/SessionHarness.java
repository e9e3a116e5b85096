package voiceagent.core.session;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.LightningClient;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.MuLaw;
import voiceagent.audio.PulseClient;
import voiceagent.audio.PulseConfig;
import voiceagent.common.VertxClock;
import voiceagent.core.AgentConfig;
import voiceagent.core.Call;
import voiceagent.core.CallEvent;
import voiceagent.core.ElectronClient;
import voiceagent.core.VoiceAgent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.core.config.SessionConfig;
import voiceagent.testkit.LightningEmulator;
import voiceagent.testkit.LightningEmulatorOptions;
import voiceagent.testkit.ManualClock;
import voiceagent.testkit.PulseEmulator;
import voiceagent.testkit.PulseEmulatorOptions;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * A JUnit extension giving each test the three emulators on real sockets, clients for them, and voice agents whose
 * session timers and pacing run on a {@link ManualClock}. Caller audio is fed in 20 ms frames, each followed by 20 ms
 * of virtual time, as a carrier would deliver it.
 */
final class SessionHarness implements BeforeEachCallback, AfterEachCallback {
  static final int FRAME = 160; // 20 ms of μ-law 8 kHz

  Vertx vertx;
  ManualClock clock;
  ElectronEmulator electronEmulator;
  PulseEmulator pulseEmulator;
  LightningEmulator lightningEmulator;
  SimpleMeterRegistry meters;
  private ElectronClient electron;
  private PulseClient pulse;
  private LightningClient lightning;
  private final List<VoiceAgent> agents = new ArrayList<>();
  private final List<Running> calls = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    clock = new ManualClock();
    meters = new SimpleMeterRegistry();
    electronEmulator = await(ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults().withConcurrencyLimit(20)));
    pulseEmulator = await(PulseEmulator.start(vertx, PulseEmulatorOptions.defaults()));
    lightningEmulator = await(LightningEmulator.start(vertx, LightningEmulatorOptions.defaults()
        .withSynthesizer(new ToneVoice()).withRealTimeFactor(0).withChunkBytes(1600)));
    electron = ElectronClient.create(vertx, ElectronConfig.defaults().withBaseUrl(electronEmulator.baseUrl())
        .withMaxConcurrency(20, 10_000), VertxClock.INSTANCE);
    pulse = PulseClient.create(vertx, PulseConfig.defaults().withBaseUrl(pulseEmulator.baseUrl()), VertxClock.INSTANCE);
    lightning = LightningClient.create(vertx, LightningConfig.defaults().withBaseUrl(lightningEmulator.baseUrl())
        .withTimings(0, 0, 10_000), VertxClock.INSTANCE);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    agents.forEach(VoiceAgent::close);
    await(vertx.close());
  }

  VoiceAgent agent(AgentConfig config, SessionConfig session) throws Exception {
    VoiceAgent a = await(VoiceAgent.builder(vertx, config).electron(electron, "electron").pulse(pulse)
        .lightning(lightning).session(session).clock(clock).meterRegistry(meters).loops(1).start());
    agents.add(a);
    return a;
  }

  /** Starts a call on a μ-law 8 kHz transport and waits until its Pulse and Lightning streams are open. */
  Running call(VoiceAgent agent, boolean acknowledges) throws Exception {
    TestTransport transport = new TestTransport(AudioFormat.MULAW_8K, acknowledges, clock);
    Call call = agent.startCall(transport);
    Recorder events = new Recorder();
    call.events().subscribe(events.queue::add);
    Running r = new Running(call, transport, events);
    events.await(CallEvent.CallStarted.class);
    calls.add(r);
    return r;
  }

  /**
   * Moves virtual time forward in 20 ms steps, letting the loops of every call run each step's ticks and timers
   * before the next step (a tick reads the clock when it runs, so a loop left behind would see a later time).
   */
  void advance(Running r, long millis) throws Exception {
    for (long t = 0; t < millis; t += 20) {
      clock.advance(20);
      barrier(r.transport.context());
      for (Running other : calls) if (other != r) barrier(other.transport.context());
    }
  }

  /** Advances virtual time to {@code millis} since the clock's start (a call started at 0 counts from there too). */
  void advanceTo(Running r, long millis) throws Exception {
    advance(r, millis - clock.nanoTime() / 1_000_000);
  }

  /** Feeds caller audio frame by frame, 20 ms of virtual time per frame. */
  void say(Running r, byte[] audio) throws Exception {
    for (int off = 0; off < audio.length; off += FRAME) {
      r.transport.feed(audio, off, Math.min(FRAME, audio.length - off));
      advance(r, 20);
    }
  }

  /** Waits until everything queued on the call's loop so far has run. */
  static void barrier(Context context) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
  }

  /** A loud tone (speech to every VAD) in μ-law 8 kHz. */
  static byte[] speech(int millis) {
    byte[] b = new byte[8 * millis];
    for (int i = 0; i < b.length; i++) b[i] = MuLaw.encode((short) (9000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
    return b;
  }

  static byte[] silence(int millis) {
    byte[] b = new byte[8 * millis];
    Arrays.fill(b, (byte) 0xFF);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  record Running(Call call, TestTransport transport, Recorder events) {}

  /**
   * The call's events as delivered. An await returns the first event of the type not returned before (in arrival
   * order, wherever it is), waiting for more with a safety-net timeout.
   */
  static final class Recorder {
    final BlockingQueue<CallEvent> queue = new LinkedBlockingQueue<>();
    private final List<CallEvent> seen = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();

    <T extends CallEvent> T await(Class<T> type) throws InterruptedException {
      return await(type, e -> true);
    }

    <T extends CallEvent> T await(Class<T> type, Predicate<T> matching) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int i = 0;
      while (true) {
        for (; i < seen.size(); i++) {
          CallEvent e = seen.get(i);
          if (!taken.get(i) && type.isInstance(e) && matching.test(type.cast(e))) {
            taken.set(i, true);
            return type.cast(e);
          }
        }
        CallEvent e = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertNotNull(e, "no " + type.getSimpleName() + " within 20 s; seen " + seen);
        seen.add(e);
        taken.add(false);
      }
    }

    /** Events received so far. */
    List<CallEvent> all() {
      queue.drainTo(seen);
      while (taken.size() < seen.size()) taken.add(false);
      return List.copyOf(seen);
    }

    <T extends CallEvent> List<T> all(Class<T> type) {
      return all().stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
