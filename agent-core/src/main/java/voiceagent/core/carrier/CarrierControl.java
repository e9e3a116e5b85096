package voiceagent.core.carrier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import voiceagent.core.internal.carrier.TwilioRestControl;

/**
 * Call control through a carrier's REST API, for the hang-up and transfer tools: the media stream cannot end or move
 * the phone call itself, only the carrier can.
 *
 * <p>Failures are failed futures carrying an {@link voiceagent.common.AgentException} with the kind
 * ({@code AUTHENTICATION}, {@code NOT_FOUND}, {@code RATE_LIMITED}, {@code SERVER}, {@code CONNECTIVITY}, ...), the
 * HTTP status, the carrier's error code and request id.
 *
 * <p>Thread contract: thread-safe; a future completes on the context of the caller (a session's loop).
 */
public interface CarrierControl {

  /** Ends the call {@code callId} (the carrier's id: Twilio {@code CallSid}). */
  Future<Void> hangUp(String callId);

  /** Moves the call to {@code target}: a phone number ({@code +15551234567}) or a SIP URI ({@code sip:…}). */
  Future<Void> transfer(String callId, String target);

  /** Twilio's Calls API ({@code POST /2010-04-01/Accounts/{sid}/Calls/{CallSid}.json}). */
  static CarrierControl twilio(Vertx vertx, TwilioRestConfig config) {
    return new TwilioRestControl(vertx, config);
  }
}
