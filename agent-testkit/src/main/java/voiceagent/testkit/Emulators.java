package voiceagent.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/**
 * The three services of a call — Pulse, Electron (the rule-based weather model) and Lightning — as emulators on
 * loopback ports, started together: what {@code voice-agent call --emulator}, the offline samples and the session
 * benchmark answer calls with.
 *
 * <p>Thread contract: immutable; each emulator states its own contract.
 */
public record Emulators(PulseEmulator pulse, ElectronEmulator electron, LightningEmulator lightning) {

  /** The three emulators with their default options (FreeTTS speech at Lightning's 3.3× real time). */
  public static Future<Emulators> start(Vertx vertx) {
    return start(vertx, PulseEmulatorOptions.defaults(), ElectronEmulatorOptions.defaults(),
        LightningEmulatorOptions.defaults());
  }

  public static Future<Emulators> start(Vertx vertx, PulseEmulatorOptions pulse, ElectronEmulatorOptions electron,
      LightningEmulatorOptions lightning) {
    Future<PulseEmulator> p = PulseEmulator.start(vertx, pulse);
    Future<ElectronEmulator> e = ElectronEmulator.start(vertx, electron);
    Future<LightningEmulator> l = LightningEmulator.start(vertx, lightning);
    return Future.all(p, e, l).map(v -> new Emulators(p.result(), e.result(), l.result()));
  }

  /** Closes the three servers. */
  public Future<Void> close() {
    return Future.join(pulse.close(), electron.close(), lightning.close()).mapEmpty();
  }
}
