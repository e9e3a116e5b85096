package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.config.PriceTable;

/**
 * The web demo end to end in headless Chromium: the page, its WebSocket, the browser transport, a real call session
 * and the Pulse, Electron and Lightning emulators. The fake microphone says a question (espeak-ng).
 */
class DemoPageCallTest {
  private static final String SPOKEN = "What's the weather in Tokyo?";
  private static Vertx vertx;
  private static WebDemo demo;

  @BeforeAll
  static void serve() {
    vertx = Vertx.vertx();
    ConfigTree tree = ConfigTree.load(null, Map.of());
    demo = WebDemo.start(vertx, tree, PriceTable.fromClasspath().current(), false, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (demo != null) demo.close();
    vertx.close().await();
  }

  @Test
  void aTypedTurnAndASpokenTurnEachGetAToolCallAndAnAgentReply(@TempDir Path dir) throws Exception {
    Path microphone = HeadlessChromium.spokenWav(dir, SPOKEN);
    // The emulator does not recognise speech: it is told what the fake microphone will say.
    demo.services().pulseEmulator().expectUtterances(SPOKEN);
    try (HeadlessChromium browser = HeadlessChromium.launch(microphone)) {
      browser.driver().get("http://127.0.0.1:" + demo.port() + "/");
      browser.await("the status says emulator", d -> browser.byTestId("status").getText().contains("emulator"));
      browser.await("the page says what works offline",
          d -> browser.driver().getPageSource().contains("type a question"));
      browser.screenshot("demo-start");

      browser.byTestId("talk").click(); // on: the fake microphone says its question once
      WebElement spokenTool = browser.await("the spoken turn's tool call", d -> toolCalls(browser).size() == 1
          ? toolCalls(browser).getFirst() : null);
      browser.await("the spoken turn's reply", d -> replies(browser).size() == 1);
      browser.await("the spoken turn's waterfall",
          d -> browser.byTestId("latency").getText().contains("end of speech"));
      browser.await("the spoken reply played to its end", d -> quiet(browser));
      browser.screenshot("demo-call-spoken");
      browser.byTestId("talk").click();

      browser.byTestId("text-input").sendKeys("What's the weather in Paris?");
      browser.byTestId("send").click();
      WebElement typedTool = browser.await("the typed turn's tool call", d -> toolCalls(browser).size() == 2
          ? toolCalls(browser).get(1) : null);
      browser.await("the typed turn's reply", d -> replies(browser).size() == 2);
      browser.await("the typed turn's reply played", d -> stage(browser, "played").endsWith(" ms"));
      browser.await("the typed reply played to its end", d -> quiet(browser));

      List<String> replies = replies(browser);
      assertTrue(replies.get(0).contains("Tokyo") && replies.get(1).contains("Paris"), replies.toString());
      List<WebElement> user = browser.all("[data-testid=transcript] > [data-role=user]");
      assertEquals(List.of(SPOKEN, "What's the weather in Paris?"),
          user.stream().map(u -> u.findElement(By.cssSelector(".text")).getText()).toList());
      assertTrue(typedTool.getText().contains("get_weather") && typedTool.getText().contains("Paris"),
          typedTool.getText());
      assertTrue(spokenTool.getText().contains("get_weather") && spokenTool.getText().contains("Tokyo"),
          spokenTool.getText());
      assertTrue(browser.byTestId("cost").getText().matches("\\$0\\.\\d+ · cache \\d+%"),
          browser.byTestId("cost").getText());
      browser.screenshot("demo-call");
      browser.resize(390, 844);
      browser.screenshot("demo-call-phone");
    }
  }

  /** Whether the agent's voice has stopped playing (it played at least once). */
  private static boolean quiet(HeadlessChromium browser) {
    return "false".equals(browser.byTestId("transcript").getDomAttribute("data-playing"));
  }

  /** The time the last turn's waterfall shows for {@code stage}, e.g. {@code "412 ms"}, or "–". */
  private static String stage(HeadlessChromium browser, String stage) {
    return browser.driver().findElement(By.cssSelector(
        "[data-testid=latency] [data-stage=" + stage + "] .ms")).getText();
  }

  private static List<WebElement> toolCalls(HeadlessChromium browser) {
    return browser.all("[data-testid=tool-calls] > *");
  }

  /** The model's own words in each agent utterance that has some (fillers left out). */
  private static List<String> replies(HeadlessChromium browser) {
    return browser.all("[data-testid=transcript] > [data-role=agent]").stream()
        .map(u -> String.join(" ", u.findElements(By.cssSelector("[data-kind=reply]")).stream()
            .map(WebElement::getText).toList()))
        .filter(text -> !text.isEmpty()).toList();
  }
}
