package voiceagent.testkit.electron;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import voiceagent.common.Clock;

/**
 * One request and the state of its response inside the emulator.
 *
 * <p>Thread contract: fields marked "loop" are touched only on the emulator's event loop; {@code cancelledByClient}
 * and {@code finished} are read by test threads.
 */
final class Exchange {
  final String requestId;
  final Map<String, String> headers;
  final String body;
  final JsonNode json;
  final long receivedNanos;
  final CountDownLatch finished = new CountDownLatch(1);
  volatile boolean cancelledByClient;
  boolean done; // loop
  boolean holdsSlot; // loop
  Clock.Cancellable timer; // loop: the pending step of a timed stream

  Exchange(String requestId, Map<String, String> headers, String body, JsonNode json, long receivedNanos) {
    this.requestId = requestId;
    this.headers = headers;
    this.body = body;
    this.json = json;
    this.receivedNanos = receivedNanos;
  }

  RecordedRequest snapshot() {
    return new RecordedRequest(requestId, headers, body, json, receivedNanos, cancelledByClient);
  }
}
