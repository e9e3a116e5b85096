package voiceagent.testkit.internal.lightning;

import io.vertx.core.json.JsonObject;
import java.util.List;
import voiceagent.testkit.LightningEmulatorOptions;

/**
 * What the emulator's connections share: options, voice, faults to apply and what to record.
 *
 * <p>Thread contract: thread-safe.
 */
public interface EmulatorState {
  /** Lightning rejects a request whose text is longer than this. */
  int MAX_TEXT_CHARS = 250;
  String TOO_LONG = "text longer than " + MAX_TEXT_CHARS + " characters";

  LightningEmulatorOptions options();

  EmulatorVoice voice();

  /** The next one-shot fault, or {@code null}. */
  EmulatorFault takeFault();

  boolean closeAfterComplete();

  void record(JsonObject message);

  /** Milliseconds from a flush to the first audio chunk (the service's time to first audio), 0 for none. */
  long firstAudioMillis();

  void addCharacters(int characters);

  /** The 410 body of a retired model route, for tests of the client's mapping. */
  static JsonObject modelDeprecated(String path) {
    return new JsonObject().put("status", "error").put("error_code", "MODEL_DEPRECATED")
        .put("message", "The model behind " + path + " has been retired")
        .put("recommended_endpoint", "/waves/v1/tts");
  }

  /** Request fields every synthesis needs; the error message of the first one missing, or null. */
  static String missingField(JsonObject request, List<Integer> rates) {
    if (!(request.getValue("voice_id") instanceof String v) || v.isBlank()) return "voice_id is required";
    if (!(request.getValue("text") instanceof String)) return "text is required";
    Object rate = request.getValue("sample_rate", 44_100);
    if (!(rate instanceof Number n) || !rates.contains(n.intValue())) return "sample_rate " + rate + " is not supported";
    if (request.getString("text").length() > MAX_TEXT_CHARS) return TOO_LONG;
    return null;
  }
}
