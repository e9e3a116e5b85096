package voiceagent.server.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;
import voiceagent.core.Agent;
import voiceagent.core.config.ElectronConfig;
import voiceagent.samples.weather.WeatherAgent;
import voiceagent.testkit.electron.ElectronEmulator;
import voiceagent.testkit.electron.ElectronEmulatorOptions;

/** The page in a real browser against a text-only call: the typed-turn path and the page's hooks. */
class DemoPageTypedTurnTest {
  private static Vertx vertx;
  private static Agent agent;
  private static DemoServer server;

  @BeforeAll
  static void serve() {
    vertx = Vertx.vertx();
    ElectronEmulator electron = ElectronEmulator.start(vertx, ElectronEmulatorOptions.defaults()).await();
    agent = Agent.builder(vertx, WeatherAgent.config())
        .electron(ElectronConfig.defaults().withBaseUrl(electron.baseUrl()).withApiKey(null)).start().await();
    server = DemoServer.start(vertx, "127.0.0.1", 0, DemoAssets.load(),
        new DemoServer.DemoStatus("emulator", "emulator: offline test"), new TypedTurnStub(agent)).await();
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    vertx.close().await();
  }

  @Test
  void aTypedTurnShowsTheUserLineTheToolCallTheAgentReplyAndTheCost(@TempDir Path dir) throws Exception {
    Path silence = dir.resolve("silence.wav");
    WavFile.write(silence, AudioFormat.PCM16_16K, new byte[AudioFormat.PCM16_16K.bytesFor(500)]);
    try (HeadlessChromium browser = HeadlessChromium.launch(silence)) {
      browser.driver().get("http://127.0.0.1:" + server.port() + "/");
      browser.await("the status says emulator", d -> browser.byTestId("status").getText().contains("emulator"));

      browser.byTestId("text-input").sendKeys("What's the weather in Paris?");
      browser.byTestId("send").click();

      WebElement tool = browser.await("a tool call is listed",
          d -> browser.all("[data-testid=tool-calls] > *").stream().findFirst().orElse(null));
      browser.await("the agent replied", d -> agentLines(browser).stream().anyMatch(l -> l.getText().contains("Paris")));
      browser.await("the tool call has its duration", d -> tool.getText().contains(" ms"));
      browser.await("the cost is shown", d -> browser.byTestId("latency").getText().contains("cost $"));

      List<WebElement> user = browser.all("[data-testid=transcript] > [data-role=user]");
      assertEquals(1, user.size());
      assertTrue(user.getFirst().getText().contains("What's the weather in Paris?"), user.getFirst().getText());
      assertTrue(tool.getText().contains("get_weather") && tool.getText().contains("Paris"), tool.getText());
      assertTrue(browser.byTestId("cost").getText().startsWith("$"), browser.byTestId("cost").getText());
      browser.screenshot("demo-typed-turn");
    }
  }

  private static List<WebElement> agentLines(HeadlessChromium browser) {
    return browser.all("[data-testid=transcript] > [data-role=agent]");
  }
}
