package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;
import voiceagent.core.spi.MediaTransport;

/**
 * The page's side of the transport contract in a real browser, against a scripted far end that drives the
 * {@link BrowserTransport} directly: a mark comes back once the audio before it has played, and a clear stops the
 * playback at once, drops the queued marks and is confirmed.
 */
class DemoPagePlaybackTest {
  private static final int SAMPLE_RATE = 24_000;
  private static Vertx vertx;
  private static DemoServer server;
  /** What the scripted far end heard from the page, in order. */
  private static final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

  @BeforeAll
  static void serve() {
    vertx = Vertx.vertx();
    server = DemoServer.start(vertx, "127.0.0.1", 0, DemoAssets.load(),
        new DemoServer.DemoStatus("emulator", "emulator: scripted playback"), DemoPagePlaybackTest::script).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** Each typed line is a command: {@code play MS NAME} sends MS of tone then mark NAME; {@code clear} clears. */
  private static void script(BrowserTransport transport) {
    transport.onTypedTurn(line -> {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "play" -> {
          byte[] frame = tone(20);
          for (int ms = 0; ms < Integer.parseInt(words[1]); ms += 20) transport.sendAudio(frame, 0, frame.length);
          transport.sendMark(words[2]);
        }
        case "clear" -> transport.clear();
        default -> throw new IllegalArgumentException(line);
      }
    });
    transport.start(new MediaTransport.TransportSink() {
      @Override public void onAudio(byte[] data, int off, int len) { }
      @Override public void onMarkPlayed(String name) { heard.add("played " + name); }
      @Override public void onCleared() { heard.add("cleared"); }
      @Override public void onDtmf(String digits) { }
      @Override public void onHangUp(String reason) { }
    });
  }

  @Test
  void marksComeBackAfterTheirAudioPlayedAndAClearDropsTheQueueAtOnce(@TempDir Path dir) throws Exception {
    Path silence = dir.resolve("silence.wav");
    WavFile.write(silence, AudioFormat.PCM16_16K, new byte[AudioFormat.PCM16_16K.bytesFor(500)]);
    try (HeadlessChromium browser = HeadlessChromium.launch(silence)) {
      browser.driver().get("http://127.0.0.1:" + server.port() + "/");
      type(browser, "play 300 short");
      assertEquals("played short", take());

      type(browser, "play 20000 long"); // twenty seconds queued at the page
      browser.await("the page plays", d -> "true".equals(playing(browser)));
      type(browser, "clear");
      assertEquals("cleared", take());
      browser.await("playback stopped", d -> "false".equals(playing(browser)));
      // Nothing is queued now, so the next mark comes back at once; the cleared one never does.
      type(browser, "play 0 after-clear");
      assertEquals("played after-clear", take());
    }
  }

  private static void type(HeadlessChromium browser, String line) {
    browser.byTestId("text-input").sendKeys(line);
    browser.byTestId("send").click();
  }

  private static String playing(HeadlessChromium browser) {
    return browser.byTestId("transcript").getDomAttribute("data-playing");
  }

  private static String take() throws InterruptedException {
    String event = heard.poll(HeadlessChromium.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    if (event == null) throw new AssertionError("the page reported nothing");
    return event;
  }

  /** {@code millis} of a 440 Hz tone at 24 kHz, PCM16 LE. */
  private static byte[] tone(int millis) {
    int n = SAMPLE_RATE * millis / 1000;
    byte[] pcm = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / SAMPLE_RATE));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }
}
