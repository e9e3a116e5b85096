package voiceagent.testkit.carrier;

import java.util.Base64;

/**
 * One frame of caller audio with its base64 form computed once, so a load test that sends the same utterances from
 * many callers encodes each frame once rather than on every send.
 *
 * <p>Thread contract: immutable (the array is not modified after {@link #of}).
 */
public record CallerFrame(byte[] audio, String base64) {

  public static CallerFrame of(byte[] audio) {
    return new CallerFrame(audio, Base64.getEncoder().encodeToString(audio));
  }
}
