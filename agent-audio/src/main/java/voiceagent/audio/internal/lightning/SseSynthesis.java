package voiceagent.audio.internal.lightning;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningListener;
import voiceagent.common.AgentException;
import voiceagent.common.Clock;
import voiceagent.common.ErrorKind;
import voiceagent.common.sse.SseDecoder;

/**
 * Reads one SSE synthesis response: {@code {"audio": base64, "done": false}} frames, then {@code {"done": true}}
 * (the value of {@code done} decides, since every frame carries it). A body that ends without {@code done: true}
 * still completes when audio came, as older variants do; an {@code error} frame fails it.
 *
 * <p>Thread contract: confined to the response's context.
 */
final class SseSynthesis {
  private final String requestId;
  private final int sampleRate;
  private final LightningListener listener;
  private final Clock clock;
  private final long startNanos;
  private final Promise<LightningEvent.Completed> result = Promise.promise();
  private final PcmCarry carry = new PcmCarry();
  private long firstAudioNanos = -1;
  private long audioBytes;
  private final int characters;

  SseSynthesis(String requestId, int sampleRate, int characters, LightningListener listener, Clock clock) {
    this.requestId = requestId;
    this.sampleRate = sampleRate;
    this.characters = characters;
    this.listener = listener;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
  }

  Future<LightningEvent.Completed> run(HttpClientResponse response) {
    SseDecoder decoder = new SseDecoder((event, data) -> onData(data));
    response.handler(decoder::feed);
    response.endHandler(v -> {
      decoder.end();
      if (firstAudioNanos >= 0) complete();
      else fail(new AgentException(ErrorKind.PROTOCOL, LightningWire.SERVICE,
          "Lightning SSE stream ended without audio or done=true", false, 200, null, requestId, null));
    });
    response.exceptionHandler(e -> fail(new AgentException(ErrorKind.CONNECTIVITY, LightningWire.SERVICE,
        "Lightning SSE stream broke: " + e.getMessage(), true, null, null, requestId, e)));
    return result.future();
  }

  private void onData(String data) {
    if (result.future().isComplete() || data.isBlank()) return;
    JsonObject frame;
    byte[] audio;
    try {
      frame = LightningWire.parse(data);
      audio = LightningWire.audio(frame);
    } catch (AgentException e) {
      fail(e);
      return;
    }
    if ("error".equals(frame.getString("status"))) {
      fail(LightningErrors.fromFrame(frame, requestId));
      return;
    }
    if (audio.length > 0) {
      if (firstAudioNanos < 0) firstAudioNanos = clock.nanoTime();
      byte[] pcm = carry.push(audio);
      if (pcm.length > 0) {
        audioBytes += pcm.length;
        listener.onEvent(new LightningEvent.AudioChunk(requestId, pcm, sampleRate));
      }
    }
    if (Boolean.TRUE.equals(frame.getValue("done"))) complete();
  }

  private void complete() {
    if (result.future().isComplete()) return;
    long ttfa = firstAudioNanos < 0 ? -1 : (firstAudioNanos - startNanos) / 1_000_000;
    LightningEvent.Completed done = new LightningEvent.Completed(requestId, ttfa, characters, audioBytes);
    listener.onEvent(done);
    result.complete(done);
  }

  private void fail(AgentException error) {
    result.tryFail(error);
  }
}
