package voiceagent.testkit.internal.lightning;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.WavFile;
import voiceagent.audio.MuLaw;
import voiceagent.audio.Pcm16;
import voiceagent.testkit.SpeechSynthesizer;

/**
 * Lightning's HTTP modes: {@code POST /waves/v1/tts} answers the whole audio in {@code output_format} ({@code pcm},
 * {@code wav} or {@code ulaw}); {@code POST /waves/v1/tts/live} answers Server-Sent Events, {@code event: audio}
 * frames of base64 {@code audio} and a final {@code {"status":"200","done":true}}.
 *
 * <p>Thread contract: stateless; each request is answered on its own context.
 */
public final class EmulatorHttp {
  private final EmulatorState state;

  public EmulatorHttp(EmulatorState state) {
    this.state = state;
  }

  public void handle(HttpServerRequest req, boolean sse) {
    Context context = io.vertx.core.Vertx.currentContext();
    req.body().onSuccess(body -> {
      JsonObject request;
      try {
        request = body.toJsonObject();
      } catch (RuntimeException e) {
        error(req.response(), 400, "body is not a JSON object");
        return;
      }
      state.record(request);
      String missing = EmulatorState.missingField(request, EmulatorConnection.RATES);
      if (missing != null) {
        error(req.response(), 400, missing);
        return;
      }
      if (state.takeFault() instanceof EmulatorFault.Fail fail) {
        error(req.response(), 500, fail.message());
        return;
      }
      String text = request.getString("text");
      state.addCharacters(text.length());
      Future.fromCompletionStage(state.voice().render(text, request.getInteger("sample_rate", 44_100)), context)
          .onSuccess(speech -> {
            HttpServerResponse resp = req.response()
                .putHeader("X-Request-Id", "req-" + UUID.randomUUID())
                .putHeader("X-External-Request-Id", request.getString("request_id", ""));
            if (sse) streamSse(resp, speech);
            else answerAudio(resp, speech, request.getString("output_format", "pcm"));
          })
          .onFailure(e -> error(req.response(), 500, "synthesis failed: " + e.getMessage()));
    });
  }

  private void answerAudio(HttpServerResponse resp, SpeechSynthesizer.Synthesized speech, String format) {
    AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM16_LE, speech.sampleRate(), 1);
    switch (format) {
      case "wav" -> resp.putHeader("Content-Type", "audio/wav").end(Buffer.buffer(WavFile.toBytes(pcm, speech.pcm16())));
      case "pcm" -> resp.putHeader("Content-Type", "audio/pcm").end(Buffer.buffer(speech.pcm16()));
      case "ulaw" -> {
        short[] samples = new short[speech.pcm16().length / 2];
        Pcm16.toShorts(speech.pcm16(), 0, samples.length, samples, 0, false);
        byte[] ulaw = new byte[samples.length];
        MuLaw.encode(samples, 0, samples.length, ulaw, 0);
        resp.putHeader("Content-Type", "audio/basic").end(Buffer.buffer(ulaw));
      }
      default -> error(resp, 400, "output_format " + format + " is not supported by the emulator");
    }
  }

  private void streamSse(HttpServerResponse resp, SpeechSynthesizer.Synthesized speech) {
    resp.setChunked(true).putHeader("Content-Type", "text/event-stream");
    byte[] pcm = speech.pcm16();
    int size = state.options().chunkBytes();
    for (int from = 0; from < pcm.length; from += size) {
      String audio = Base64.getEncoder().encodeToString(Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + size)));
      JsonObject frame = new JsonObject().put("audio", audio).put("done", false).put("status", "206");
      resp.write("event: audio\ndata: " + frame.encode() + "\n\n");
    }
    resp.end("data: " + new JsonObject().put("status", "200").put("done", true).encode() + "\n\n");
  }

  /** Answers an error with the service's JSON shape. */
  public static void error(HttpServerResponse resp, int status, String message) {
    JsonObject body = new JsonObject().put("error", status == 401 ? "Unauthorized" : "InvalidRequest")
        .put("message", message);
    resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
