package voiceagent.server.internal.demo;

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
 * Where the demo's calls go: the live Pulse, Electron and Lightning services when a key is configured, otherwise (or
 * when forced) the in-process emulators from agent-testkit, each on a loopback port, never sent a key.
 *
 * <p>Thread contract: immutable; the emulators are thread-safe.
 *
 * @param pulseEmulator the offline speech recogniser, for tests that script what it hears; null when live
 */
public record DemoServices(ElectronConfig electron, PulseConfig pulse, LightningConfig lightning,
    DemoServer.DemoStatus status, PulseEmulator pulseEmulator) {

  /** Why the demo runs offline, as the terminal says it. */
  public static String offlineReason(boolean forced) {
    return (forced ? "--emulator given" : "SMALLEST_API_KEY is not set")
        + "; running offline on the built-in Pulse, Electron and Lightning emulators";
  }

  /**
   * The services for {@code tree}: live when it holds an Electron key and {@code forceEmulator} is false, otherwise
   * three emulators started on {@code vertx}.
   */
  public static Future<DemoServices> start(Vertx vertx, ConfigTree tree, boolean forceEmulator) {
    ElectronConfig electron = ElectronConfig.from(tree.section("electron"));
    PulseConfig pulse = PulseConfig.from(tree.section("pulse"));
    LightningConfig lightning = LightningConfig.from(tree.section("lightning"));
    if (!forceEmulator && electron.apiKey() != null) {
      return Future.succeededFuture(new DemoServices(electron, pulse, lightning,
          new DemoServer.DemoStatus("live", "live: Smallest AI Pulse, Electron and Lightning"), null));
    }
    DemoServer.DemoStatus status = new DemoServer.DemoStatus("emulator",
        "emulator: offline, " + (forceEmulator ? "--emulator given" : "no SMALLEST_API_KEY"),
        "Offline, the speech emulator hears that you spoke but not what you said: type a question to get a real "
            + "answer, or set SMALLEST_API_KEY to talk.");
    Future<ElectronEmulator> e = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults());
    Future<PulseEmulator> p = PulseEmulator.start(vertx, PulseEmulatorOptions.defaults());
    Future<LightningEmulator> l = LightningEmulator.start(vertx, LightningEmulatorOptions.defaults());
    return Future.all(e, p, l).map(all -> new DemoServices(
        electron.withBaseUrl(e.result().baseUrl()).withApiKey(null),
        pulse.withBaseUrl(p.result().baseUrl()).withApiKey(null),
        lightning.withBaseUrl(l.result().baseUrl()).withApiKey(null),
        status, p.result()));
  }

  public boolean offline() {
    return pulseEmulator != null;
  }
}
