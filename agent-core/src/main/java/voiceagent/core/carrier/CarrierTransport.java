package voiceagent.core.carrier;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import voiceagent.common.Clock;
import voiceagent.core.CallLog;
import voiceagent.core.internal.carrier.DefaultCarrierTransport;
import voiceagent.core.spi.MediaTransport;

/**
 * A {@link MediaTransport} over a carrier's media-stream WebSocket: inbound messages become sink events, the
 * session's audio, marks and clears become the carrier's messages (chunked as the carrier requires: Vonage one 20 ms
 * frame per message, Exotel multiples of 320 bytes).
 *
 * <p>Start handshake: {@link #accept} takes the socket as soon as the server has it and completes once the carrier's
 * start message (Vonage: {@code websocket:connected}) has told the stream's ids, format and custom parameters, so the
 * server can authorise the call on them and build the session with the right formats. Between that moment and
 * {@link #start} the socket is paused (no buffering: the carrier's audio waits in the socket). The future fails, and the
 * socket is closed, when the start does not come within {@link CarrierLimits#startTimeoutMillis()}, the socket closes,
 * the format is one the runtime cannot play, or the peer sends only garbage.
 *
 * <p>Playback: marks the session never sent, and marks echoed after a clear (Twilio and Telnyx return pending marks on
 * clear; Plivo's pending checkpoints are cancelled by {@code clearedAudio}), are not reported as played. The clear is
 * reported when the carrier confirms it in its own way ({@link CarrierCodec.ClearAck}).
 *
 * <p>Limits ({@link CarrierLimits}): oversized messages, message floods and runs of malformed messages end the call
 * with a close code and a log line saying why; a single malformed message is logged and skipped.
 *
 * <p>Thread contract: confined to the socket's context; the session must run there (the server takes the session's
 * context from the accepted socket).
 */
public interface CarrierTransport extends MediaTransport {

  Carrier carrier();

  /** The carrier's start message: stream id, call id, format, custom parameters. */
  CarrierEvent.Started started();

  /**
   * Takes over {@code socket} (call from its handler, before returning, so no message is missed) and completes on the
   * socket's context once the carrier has started the stream.
   */
  static Future<CarrierTransport> accept(ServerWebSocket socket, Carrier carrier, CarrierLimits limits, Clock clock,
      CallLog log) {
    return DefaultCarrierTransport.accept(socket, carrier, limits, clock, log);
  }
}
