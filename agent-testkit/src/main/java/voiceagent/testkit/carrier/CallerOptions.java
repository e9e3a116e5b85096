package voiceagent.testkit.carrier;

import java.util.Map;
import voiceagent.audio.AudioFormat;

/**
 * How a {@link CarrierCaller} dials: the protocol, the stream's ids and format, the custom parameters and upgrade
 * headers the carrier would send, and how real time is emulated.
 *
 * <p>Thread contract: immutable.
 *
 * @param format          the caller's audio format (Twilio μ-law 8 kHz; Vonage L16; Exotel PCM16 8 kHz by default)
 * @param customParameters TwiML {@code <Parameter>}s, {@code custom_parameters}, Plivo {@code extra_headers}, Vonage
 *                        headers
 * @param headers         HTTP headers of the upgrade ({@code X-Twilio-Signature}, auth tokens)
 * @param realTimePlayback echo marks when the audio before them has played at real time; false: at once
 * @param recordEvents    keep every {@link CallerEvent}, the received audio and the echoed marks, and check every
 *                        server message field by field; false for load tests: events go to the listener only and
 *                        messages are scanned, not parsed (no violations reported for the messages recognised)
 */
public record CallerOptions(CallerProtocol protocol, AudioFormat format, String streamId, String callId,
    Map<String, String> customParameters, Map<String, String> headers, boolean realTimePlayback,
    boolean recordEvents) {

  public CallerOptions {
    customParameters = Map.copyOf(customParameters);
    headers = Map.copyOf(headers);
  }

  /** The carrier's usual format, made-up ids, instant playback, everything recorded. */
  public static CallerOptions defaults(CallerProtocol protocol) {
    AudioFormat format = switch (protocol) {
      case TWILIO, TELNYX, PLIVO -> AudioFormat.MULAW_8K;
      case VONAGE -> AudioFormat.PCM16_16K;
      case EXOTEL -> AudioFormat.PCM16_8K;
    };
    return new CallerOptions(protocol, format, "MZ-test-stream", "CA-test-call", Map.of(), Map.of(), false, true);
  }

  public CallerOptions withFormat(AudioFormat f) {
    return new CallerOptions(protocol, f, streamId, callId, customParameters, headers, realTimePlayback, recordEvents);
  }

  public CallerOptions withIds(String stream, String call) {
    return new CallerOptions(protocol, format, stream, call, customParameters, headers, realTimePlayback, recordEvents);
  }

  public CallerOptions withCustomParameters(Map<String, String> p) {
    return new CallerOptions(protocol, format, streamId, callId, p, headers, realTimePlayback, recordEvents);
  }

  public CallerOptions withHeaders(Map<String, String> h) {
    return new CallerOptions(protocol, format, streamId, callId, customParameters, h, realTimePlayback, recordEvents);
  }

  public CallerOptions withRealTimePlayback(boolean on) {
    return new CallerOptions(protocol, format, streamId, callId, customParameters, headers, on, recordEvents);
  }

  public CallerOptions withRecordEvents(boolean on) {
    return new CallerOptions(protocol, format, streamId, callId, customParameters, headers, realTimePlayback, on);
  }
}
