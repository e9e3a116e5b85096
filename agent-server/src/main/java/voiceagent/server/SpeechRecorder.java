package voiceagent.server;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import voiceagent.audio.LightningEvent;
import voiceagent.audio.LightningListener;
import voiceagent.audio.LightningStream;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Records what a {@link LightningStream} says, one synthesis at a time: the listener of the stream, and a
 * {@link Take} per synthesis that gathers its audio until it completes ({@code speak}, {@code demo --audio-out}).
 *
 * <p>Thread contract: {@link #begin} and the {@link Take} methods are called from one application thread, one take at
 * a time (the next begins after the previous one finished); the listener runs on the stream's context.
 */
final class SpeechRecorder implements LightningListener {
  /** Written by the application thread before the take's synthesis starts, read by the stream's context after. */
  private volatile Take current;

  /** Starts a synthesis on {@code stream} and returns the take that records it. */
  Take begin(LightningStream stream, String requestId) {
    Take take = new Take(requestId);
    current = take;
    take.synthesis = stream.begin(requestId);
    return take;
  }

  @Override
  public void onEvent(LightningEvent event) {
    Take take = current;
    switch (event) {
      case LightningEvent.AudioChunk c -> {
        if (take.requestId.equals(c.requestId())) take.audio.writeBytes(c.pcm16());
      }
      case LightningEvent.Completed c -> {
        if (take.requestId.equals(c.requestId())) take.done.complete(c);
      }
      case LightningEvent.Failed f -> {
        if (take.requestId.equals(f.requestId())) take.done.completeExceptionally(f.error());
      }
      case LightningEvent.WordTimestamp w -> { }
      case LightningEvent.Reconnected r -> { }
    }
  }

  /** The audio of a finished synthesis and its completion report. */
  record Recording(byte[] pcm, LightningEvent.Completed completed) {}

  /** One synthesis being recorded. */
  static final class Take {
    private final String requestId;
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream(); // written on the loop, read after done
    private final CompletableFuture<LightningEvent.Completed> done = new CompletableFuture<>();
    private LightningStream.Synthesis synthesis;

    private Take(String requestId) {
      this.requestId = requestId;
    }

    /** Sends more text to speak. */
    void append(String text) {
      synthesis.append(text);
    }

    /** Ends the text and waits up to {@code timeoutSeconds} for the whole audio; a failed synthesis throws. */
    Recording finish(long timeoutSeconds) throws InterruptedException {
      synthesis.flush();
      try {
        LightningEvent.Completed completed = done.get(timeoutSeconds, TimeUnit.SECONDS);
        return new Recording(audio.toByteArray(), completed);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AgentException a) throw a;
        throw new AgentException(ErrorKind.SERVER, "lightning", "synthesis " + requestId + " failed", e.getCause());
      } catch (TimeoutException e) {
        synthesis.cancel();
        throw new AgentException(ErrorKind.TIMEOUT, "lightning",
            "synthesis " + requestId + " did not complete within " + timeoutSeconds + " s", e);
      }
    }
  }
}
