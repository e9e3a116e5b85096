package voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import voiceagent.common.Clock;
import voiceagent.common.VertxClock;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.ManualClock;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * A JUnit extension giving each test a Vert.x instance, an Electron emulator and agents wired to it; turns are
 * collected as event lists. Register with {@code @RegisterExtension final AgentHarness h = new AgentHarness();}.
 * Agents run on a {@link ManualClock} of their own unless a test passes another: no live timer (the escalation line,
 * tool timeouts) can fire while a test runs, only the ones the test advances to.
 */
final class AgentHarness implements BeforeEachCallback, AfterEachCallback {
  Vertx vertx;
  ElectronEmulator emulator;
  ElectronClient electron;
  SimpleMeterRegistry meters;
  ManualClock clock;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    vertx = BlockedThreadGuard.newVertx();
    meters = new SimpleMeterRegistry();
    clock = new ManualClock();
    emulator = await(ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults().withConcurrencyLimit(20)));
    electron = ElectronClient.create(vertx, ElectronConfig.defaults().withBaseUrl(emulator.baseUrl())
        .withMaxConcurrency(20, 10_000), VertxClock.INSTANCE);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    await(vertx.close());
  }

  Agent agent(AgentConfig config) throws Exception {
    return agent(config, clock);
  }

  Agent agent(AgentConfig config, Clock clock) throws Exception {
    return await(Agent.builder(vertx, config).electron(electron, "electron").meterRegistry(meters).clock(clock)
        .loops(2).start());
  }

  static Conversation conversation(Agent agent) {
    return agent.newConversation("call-1", Map.of());
  }

  /** Runs one turn to its end and returns every event, in order. */
  static List<AgentEvent> turn(Conversation c, String text) {
    List<AgentEvent> events = c.send(text).collectList().block(Duration.ofSeconds(20));
    assertNotNull(events);
    return events;
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static <T extends AgentEvent> List<T> only(List<AgentEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static String spoken(List<AgentEvent> events, AgentEvent.SpeechKind kind) {
    return String.join(" ", only(events, AgentEvent.SpeechReady.class).stream().filter(s -> s.kind() == kind)
        .map(AgentEvent.SpeechReady::text).toList());
  }
}
