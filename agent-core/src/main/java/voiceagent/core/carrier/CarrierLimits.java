package voiceagent.core.carrier;

import voiceagent.common.AgentException;

/**
 * Per-call limits of a carrier socket: what a misbehaving or hostile peer can cost before the call is ended.
 *
 * <p>Thread contract: immutable.
 *
 * @param maxMessageBytes         largest inbound message (all fragments together); more ends the call (close 1009)
 * @param maxMessagesPerSecond    inbound messages allowed in any one-second window; more ends the call (close 1008)
 * @param maxConsecutiveMalformed malformed messages in a row tolerated; one more ends the call (close 1007)
 * @param startTimeoutMillis      how long the carrier has to send its start message after the upgrade
 */
public record CarrierLimits(int maxMessageBytes, int maxMessagesPerSecond, int maxConsecutiveMalformed,
    long startTimeoutMillis) {

  /**
   * 64 KiB holds the largest documented inbound message (Exotel's 100 ms of 16 kHz PCM is 4.3 KB as base64) many times
   * over; 500 messages a second is ten times a 20 ms stream, room for the burst after a network stall; 25 malformed
   * messages in a row is half a second of garbage at frame rate, far past any one glitch.
   */
  public static final CarrierLimits DEFAULTS = new CarrierLimits(64 * 1024, 500, 25, 10_000);

  public CarrierLimits {
    if (maxMessageBytes < 1024) throw AgentException.config("carrier.max_message_bytes", maxMessageBytes, "at least 1024");
    if (maxMessagesPerSecond < 60) {
      throw AgentException.config("carrier.max_messages_per_second", maxMessagesPerSecond, "at least 60 (50 frames/s)");
    }
    if (maxConsecutiveMalformed < 1) {
      throw AgentException.config("carrier.max_consecutive_malformed", maxConsecutiveMalformed, "at least 1");
    }
    if (startTimeoutMillis < 1) throw AgentException.config("carrier.start_timeout_ms", startTimeoutMillis, "positive");
  }
}
