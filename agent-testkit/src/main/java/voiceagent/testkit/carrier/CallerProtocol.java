package voiceagent.testkit.carrier;

/**
 * The carrier protocols a {@link CarrierCaller} speaks, with the server path each is served on by convention.
 *
 * <p>Thread contract: immutable.
 */
public enum CallerProtocol {
  TWILIO("/twilio/stream", 20),
  TELNYX("/telnyx/stream", 20),
  PLIVO("/plivo/stream", 20),
  VONAGE("/vonage/stream", 20),
  /** Exotel sends the caller's audio about every 100 ms. */
  EXOTEL("/exotel/stream", 100);

  private final String path;
  private final int frameMillis;

  CallerProtocol(String path, int frameMillis) {
    this.path = path;
    this.frameMillis = frameMillis;
  }

  public String path() {
    return path;
  }

  /** Milliseconds of caller audio per inbound message, as the carrier sends it. */
  public int frameMillis() {
    return frameMillis;
  }
}
