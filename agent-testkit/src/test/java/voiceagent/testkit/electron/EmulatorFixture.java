package voiceagent.testkit.electron;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import voiceagent.testkit.BlockedThreadGuard;
import voiceagent.testkit.ManualClock;

/** A Vert.x instance, an emulator on a manual clock ({@code created} is 1700000000) and a raw HTTP client. */
final class EmulatorFixture {
  static final String CREATED = "1700000000";

  final Vertx vertx = BlockedThreadGuard.newVertx();
  final ElectronEmulator emulator;
  final TestHttp http;

  EmulatorFixture(ElectronEmulatorOptions options) throws Exception {
    emulator = ElectronEmulator.start(vertx, options).await(20, TimeUnit.SECONDS);
    http = new TestHttp(vertx, emulator.baseUrl());
  }

  /** Manual clock: timestamps are fixed; reply delays must stay zero. */
  static EmulatorFixture manual() throws Exception {
    return new EmulatorFixture(ElectronEmulatorOptions.defaults().withClock(new ManualClock()));
  }

  /** Real time: for scripts with delays. */
  static EmulatorFixture realTime(ElectronEmulatorOptions options) throws Exception {
    return new EmulatorFixture(options);
  }

  void close() throws Exception {
    http.close();
    emulator.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
  }
}
