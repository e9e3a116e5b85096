package voiceagent.server.internal.demo;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import voiceagent.audio.WavFile;

/**
 * Headless Chromium driven by Selenium, with a fake microphone that plays a WAV file once. The browser and its
 * driver come from the system (Debian {@code chromium} and {@code chromium-driver}, which
 * {@code scripts/ensure-test-tools.sh} installs); when either is missing the test is skipped with a message saying
 * so. Selenium Manager is never asked to download anything: both paths are given.
 *
 * <p>Thread contract: not thread-safe; one test thread drives it.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  /** Generous for a loaded 2-core machine: the wait ends as soon as the page reaches the state. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * A WAV for the fake microphone: {@code text} spoken by espeak-ng, after three seconds of silence (the device starts
   * playing the file when the page opens it, and on a loaded machine the page's audio graph may take a while to run)
   * and followed by two (the end of speech the session listens for).
   */
  static Path spokenWav(Path dir, String text) throws IOException, InterruptedException {
    Path raw = dir.resolve("espeak.wav");
    Process p = new ProcessBuilder("espeak-ng", "-w", raw.toString(), text).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("espeak-ng failed: " + output);
    WavFile.Audio speech = WavFile.read(raw);
    ByteArrayOutputStream padded = new ByteArrayOutputStream();
    padded.writeBytes(new byte[speech.format().bytesFor(3000)]);
    padded.writeBytes(speech.data());
    padded.writeBytes(new byte[speech.format().bytesFor(2000)]);
    Path wav = dir.resolve("microphone.wav");
    WavFile.write(wav, speech.format(), padded.toByteArray());
    return wav;
  }

  /** Starts the browser with {@code microphone} as its fake capture device; skips the test without a browser. */
  static HeadlessChromium launch(Path microphone) {
    List<String> browsers = candidates("chromium.binary", BROWSERS);
    List<String> drivers = candidates("chromedriver.binary", DRIVERS);
    Optional<String> browser = firstExecutable(browsers);
    Optional<String> driverPath = firstExecutable(drivers);
    Assumptions.assumeTrue(browser.isPresent() && driverPath.isPresent(),
        "SKIPPED: no headless browser to test the demo page with: Chromium "
            + browser.orElse("not found in " + browsers) + ", chromedriver "
            + driverPath.orElse("not found in " + drivers)
            + " (install the Debian packages chromium and chromium-driver: scripts/ensure-test-tools.sh)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.get());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1100,900", "--autoplay-policy=no-user-gesture-required",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        // %noloop: the utterance is said once, then the fake device is silent (as a person who stopped talking).
        "--use-file-for-fake-audio-capture=" + microphone.toAbsolutePath() + "%noloop");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(driverPath.get())).usingAnyFreePort().build();
    return new HeadlessChromium(new ChromeDriver(service, options));
  }

  WebDriver driver() {
    return driver;
  }

  WebElement byTestId(String id) {
    return driver.findElement(By.cssSelector("[data-testid=\"" + id + "\"]"));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /**
   * Waits (up to {@link #PATIENCE}) until {@code condition} returns a non-null, non-false value. On a timeout the
   * failure carries what the page showed and logged, and a screenshot is kept as
   * {@code target/screenshots/failure.png}.
   */
  <T> T await(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, PATIENCE).withMessage(what).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not happen; the page showed:\n" + pageState(), e);
    }
  }

  private String pageState() {
    StringBuilder state = new StringBuilder();
    try {
      state.append("screenshot: ").append(screenshot("failure").toAbsolutePath()).append('\n');
      state.append(driver.findElement(By.tagName("body")).getText()).append("\nconsole:\n");
      driver.manage().logs().get(LogType.BROWSER).forEach(entry -> state.append(entry).append('\n'));
    } catch (IOException | RuntimeException e) {
      state.append("(could not read the page: ").append(e).append(')');
    }
    return state.toString();
  }

  /** Keeps a screenshot as {@code target/screenshots/NAME.png} and returns its path. */
  Path screenshot(String name) throws IOException {
    Path file = Path.of("target", "screenshots", name + ".png");
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /** Resizes the window, e.g. to a phone's size for a second screenshot. */
  void resize(int width, int height) {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** The system property {@code name} (another browser build), else the usual places. */
  private static List<String> candidates(String name, List<String> usual) {
    String chosen = System.getProperty(name);
    return chosen == null || chosen.isBlank() ? usual : List.of(chosen);
  }

  private static Optional<String> firstExecutable(List<String> candidates) {
    return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }
}
