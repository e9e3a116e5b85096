package voiceagent.server.internal.serve;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.PulseConfig;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.ElectronConfig;
import voiceagent.testkit.LightningEmulator;
import voiceagent.testkit.LightningEmulatorOptions;
import voiceagent.testkit.PulseEmulator;
import voiceagent.testkit.PulseEmulatorOptions;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * Where the server's calls go: the services named by the configuration ({@code SMALLEST_API_KEY},
 * {@code ELECTRON_BASE_URL}, {@code PULSE_BASE_URL}, {@code LIGHTNING_BASE_URL}), or with {@code --emulator} the
 * in-process Pulse, Electron and Lightning emulators of agent-testkit on loopback ports, never sent a key.
 *
 * <p>Thread contract: immutable; the emulators are thread-safe.
 *
 * @param emulators the emulators when offline (tests script and fault them); null when live
 */
public record Upstreams(ElectronConfig electron, PulseConfig pulse, LightningConfig lightning, Emulators emulators) {

  /** The three emulators of an offline server. Thread contract: thread-safe. */
  public record Emulators(ElectronEmulator electron, PulseEmulator pulse, LightningEmulator lightning) {}

  /** "emulator" or "live", for {@code /health} and the start-up line. */
  public String mode() {
    return emulators != null ? "emulator" : "live";
  }

  /** The services named by {@code tree}, as configured. */
  public static Upstreams live(ConfigTree tree) {
    return new Upstreams(ElectronConfig.from(tree.section("electron")), PulseConfig.from(tree.section("pulse")),
        LightningConfig.from(tree.section("lightning")), null);
  }

  /**
   * The emulators started on {@code vertx} with {@code lightningOptions} (the voice; tests pass a fast one), the
   * other settings of {@code tree} kept.
   */
  public static Future<Upstreams> emulated(Vertx vertx, ConfigTree tree, ElectronEmulatorOptions electronOptions,
      LightningEmulatorOptions lightningOptions) {
    Upstreams base = live(tree);
    Future<ElectronEmulator> e = ElectronEmulator.start(vertx, electronOptions);
    Future<PulseEmulator> p = PulseEmulator.start(vertx, PulseEmulatorOptions.defaults());
    Future<LightningEmulator> l = LightningEmulator.start(vertx, lightningOptions);
    return Future.all(e, p, l).map(all -> new Upstreams(
        base.electron.withBaseUrl(e.result().baseUrl()).withApiKey(null),
        base.pulse.withBaseUrl(p.result().baseUrl()).withApiKey(null),
        base.lightning.withBaseUrl(l.result().baseUrl()).withApiKey(null),
        new Emulators(e.result(), p.result(), l.result())));
  }

  /** The emulators with their default settings (FreeTTS speech, no faults). */
  public static Future<Upstreams> emulated(Vertx vertx, ConfigTree tree) {
    // The emulated Electron takes as many requests as the configured plan: the governor, not the emulator, limits.
    return emulated(vertx, tree, ElectronEmulatorOptions.defaults().withConcurrencyLimit(Integer.MAX_VALUE),
        LightningEmulatorOptions.defaults());
  }

  /**
   * The emulators without a plan limit to imitate: the governor admits up to {@code calls} requests at once (capped at
   * Electron's 1000), so a load test measures the server rather than a queue the emulator does not need.
   */
  public Upstreams unthrottled(int calls) {
    return new Upstreams(electron.withMaxConcurrency(Math.min(calls, 1000), electron.maxQueueWaitMillis()), pulse,
        lightning, emulators);
  }

  /** Closes the emulators (nothing when live). */
  public Future<Void> close() {
    if (emulators == null) return Future.succeededFuture();
    return Future.join(emulators.electron.close(), emulators.pulse.close(), emulators.lightning.close())
        .mapEmpty();
  }
}
