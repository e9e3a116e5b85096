package voiceagent.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import voiceagent.core.CallLog;
import voiceagent.core.ChatMessage;
import voiceagent.core.ChatRequest;
import voiceagent.core.EncodedMessages;
import voiceagent.core.internal.electron.RequestBody;
import voiceagent.core.internal.turn.AgentPrefix;
import voiceagent.core.internal.turn.PrefixGuard;

/**
 * The cost of one Electron request at 10, 100 and 400 history messages: what {@code TurnEngine.buildRequest()} and
 * {@code DefaultElectronClient.stream()} do per request (the agent's shared system messages, the prefix guard, the
 * request, its body), then writing that body to a loopback socket. Run with the GC profiler for bytes per request:
 * {@code scripts/bench.sh ChatRequest -prof gc}.
 *
 * <p>400 messages exceed Electron's limit of {@link ChatRequest#MAX_MESSAGES} that {@code ChatRequest} enforces, so
 * the body is assembled with {@link RequestBody#of(ChatRequest, EncodedMessages)} — what {@code ChatRequest.body()}
 * runs — from a request carrying the same options; other OpenAI-compatible servers take such histories.
 *
 * <p>Each iteration also prints the benchmark thread's CPU time per operation ({@code cpu_us_per_op}, user and
 * kernel): on a shared machine the wall-clock score moves with the load of other processes, the CPU time much less.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChatRequestBenchmark {
  @Param({"10", "100", "400"})
  public int history;

  private final CallLog log = CallLog.of("call_id", "bench");
  private final List<String> staticContext = List.of(ConversationFixture.STATIC_CONTEXT);
  private AgentPrefix agentPrefix;
  private PrefixGuard guard;
  private EncodedMessages encodedHistory;
  private Buffer prebuilt;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private long operations; // this iteration's, on the benchmark thread
  private long cpuStart;
  private ServerSocketChannel server;
  private SocketChannel socket;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    agentPrefix = new AgentPrefix(registry);
    guard = new PrefixGuard(registry);
    encodedHistory = EncodedMessages.empty();
    for (ChatMessage m : ConversationFixture.history(history)) encodedHistory = encodedHistory.append(m);
    prebuilt = build();
    System.out.println("\nhistory messages " + history + ": encoded size " + encodedHistory.encodedLength()
        + " bytes, body " + prebuilt.length() + " bytes");
    server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    socket = SocketChannel.open(server.getLocalAddress());
    SocketChannel peer = server.accept();
    Thread.ofPlatform().daemon().start(() -> discard(peer));
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    operations = 0;
    cpuStart = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    System.out.printf("  cpu_us_per_op %.2f%n", operations == 0 ? 0 : cpu / 1000.0 / operations);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    socket.close();
    server.close();
  }

  /** Everything a request costs before the socket: prefix, guard, request and body. */
  @Benchmark
  public Buffer buildRequest() {
    operations++;
    return build();
  }

  private Buffer build() {
    String toolsJson = ConversationFixture.TOOLS_JSON;
    EncodedMessages system = agentPrefix.systemMessages(ConversationFixture.SYSTEM_PROMPT, staticContext, toolsJson,
        log);
    EncodedMessages messages = system.concat(encodedHistory);
    guard.check(messages, toolsJson, log);
    ChatRequest options = ChatRequest.builder(ConversationFixture.MODEL).messages(system).toolsJson(toolsJson)
        .maxTokens(300).temperature(0.3).build();
    return RequestBody.of(options, messages);
  }

  /** The socket write alone: the body built once, written to loopback with one gathering write. */
  @Benchmark
  public long writeBody() throws IOException {
    operations++;
    return write(prebuilt);
  }

  /** A whole request: built, then written. */
  @Benchmark
  public long buildAndWrite() throws IOException {
    operations++;
    return write(build());
  }

  private long write(Buffer body) throws IOException {
    ByteBuffer[] parts = ((BufferInternal) body).getByteBuf().nioBuffers();
    long written = 0;
    while (written < body.length()) written += socket.write(parts);
    return written;
  }

  private static void discard(SocketChannel peer) {
    ByteBuffer sink = ByteBuffer.allocateDirect(256 * 1024);
    try (peer) {
      while (peer.read(sink.clear()) >= 0) {
        // read and forget
      }
    } catch (IOException e) {
      if (peer.isOpen()) throw new UncheckedIOException(e);
    }
  }
}
