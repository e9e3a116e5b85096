package voiceagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import voiceagent.common.sse.SseDecoder;
import voiceagent.core.ElectronEvent;
import voiceagent.core.internal.electron.ChunkReader;

/**
 * Throughput of the Electron stream path: SSE decoding, chunk JSON parsing and tool-call assembly, from network
 * buffers to events. Scores are <b>chunks per second</b> on one thread (each invocation parses a whole stream and
 * counts its chunks). Run: {@code scripts/bench.sh ElectronStream}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ElectronStreamBenchmark {
  static final int TEXT_CHUNKS = 200;
  static final int TOOL_CHUNKS = 2 + 2 * 24 + 1;

  private List<byte[]> textStream;
  private List<byte[]> toolStream;

  @Setup
  public void build() {
    List<String> text = new ArrayList<>();
    text.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"finish_reason\":null}]}");
    for (int i = 1; i < TEXT_CHUNKS - 2; i++) {
      text.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1764480000,\"model\":\"electron\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i + "\"},\"finish_reason\":null}]}");
    }
    text.add("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    text.add("{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1550,\"completion_tokens\":200,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1500}}}");
    textStream = frames(text);

    List<String> tools = new ArrayList<>();
    for (int call = 0; call < 2; call++) {
      tools.add("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + call + ",\"id\":\"call_" + call
          + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}");
    }
    for (int call = 0; call < 2; call++) {
      String args = "{\"city\":\"Paris\",\"days\":3,\"units\":\"metric\",\"detail\":\"hourly forecast please\"}";
      int n = 24;
      for (int f = 0; f < n; f++) {
        String piece = args.substring(f * args.length() / n, (f + 1) * args.length() / n);
        tools.add("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + call
            + ",\"function\":{\"arguments\":\"" + piece.replace("\"", "\\\"") + "\"}}]}}]}");
      }
    }
    tools.add("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    toolStream = frames(tools);
  }

  private static List<byte[]> frames(List<String> chunks) {
    List<byte[]> out = new ArrayList<>();
    for (String c : chunks) out.add(("data: " + c + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(TEXT_CHUNKS)
  public void textStream(Blackhole bh) {
    parse(textStream, bh);
  }

  @Benchmark
  @OperationsPerInvocation(TOOL_CHUNKS)
  public void toolCallStream(Blackhole bh) {
    parse(toolStream, bh);
  }

  private static void parse(List<byte[]> stream, Blackhole bh) {
    ChunkReader reader = new ChunkReader(new ChunkReader.Sink() {
      @Override
      public void onEvent(ElectronEvent event) {
        bh.consume(event);
      }

      @Override
      public void onStreamError(JsonNode error) {
        throw new IllegalStateException(error.toString());
      }
    }, () -> "generated");
    SseDecoder decoder = new SseDecoder((event, data) -> bh.consume(reader.accept(event, data)));
    for (byte[] read : stream) decoder.feed(read, 0, read.length);
    decoder.end();
    reader.finish();
  }
}
