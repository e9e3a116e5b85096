package voiceagent.testkit.electron;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a scripted Electron stream. By default the stream is what Electron documents (§4 of the protocol notes):
 * role once on the first delta, content in word fragments, each tool call as a head delta ({@code index}, {@code id},
 * {@code type}, {@code name}, {@code arguments: ""}) followed by argument fragments, a finish chunk with an empty
 * delta, a separate usage chunk with {@code choices: []} (when the request asked for usage) and {@code [DONE]}. Each
 * switch produces one variation seen on other OpenAI-compatible servers, or a fault.
 *
 * <p>Order of the deltas: reasoning, {@code <think>} content, text, tool calls. A "chunk" in {@link #cutAfterChunks}
 * and {@link #stallAfterChunks} is one {@code data:} event; comment lines do not count.
 *
 * <p>Thread contract: not thread-safe; {@link #build()} returns an immutable snapshot.
 */
public final class ElectronReplyBuilder implements Cloneable {

  /** Where usage reports the cache hit. */
  public enum CachedTokensAt {
    /** {@code usage.prompt_tokens_details.cached_tokens} (Electron, OpenAI). */
    DETAILS,
    /** {@code usage.cached_tokens}. */
    TOP_LEVEL,
    /** {@code usage.prompt_cache_hit_tokens} and {@code prompt_cache_miss_tokens}. */
    PROMPT_CACHE_HIT
  }

  enum Role { ONCE, EVERY_DELTA, NEVER }
  enum ToolContent { ABSENT, NULL, EMPTY_STRING }
  enum Usage { SEPARATE, SEPARATE_CHOICES_NULL, SEPARATE_NO_CHOICES, IN_FINISH_CHUNK, EVERY_CHUNK, NONE }

  record ToolCall(String id, String name, String arguments) {}

  List<String> textFragments = new ArrayList<>();
  List<ToolCall> toolCalls = new ArrayList<>();
  String reasoningField;
  String reasoningText;
  String thought;
  String harmonyAnalysis;
  boolean ignoreStream;
  int argumentFragments = 3;
  boolean interleaveToolCalls;
  String finishReason;
  Duration firstTokenDelay = Duration.ZERO;
  Duration interChunkDelay = Duration.ZERO;
  Role role = Role.ONCE;
  ToolContent toolContent = ToolContent.ABSENT;
  Usage usage; // null: SEPARATE when the request set stream_options.include_usage, else NONE
  boolean usageNullOnChunks;
  CachedTokensAt cachedTokensAt = CachedTokensAt.DETAILS;
  int[] usageOverride; // prompt, completion, cached
  boolean leadingEmptyChoicesChunk;
  boolean noDone;
  boolean keepOpenAfterDone;
  boolean finishReasonRepeated;
  boolean noFinishReason;
  boolean finishOnLastChunk;
  boolean argumentsWhole;
  boolean argumentsAsObject;
  boolean missingIndex;
  boolean missingType;
  boolean repeatEmptyIdAndName;
  boolean repeatIdAndName;
  boolean nameInLaterDelta;
  boolean contentWithFirstToolCall;
  boolean commentLines;
  boolean eventLines;
  boolean crlf;
  boolean noSpaceAfterData;
  boolean emptyDataLine;
  boolean bareChunks;
  boolean varyingChunkIds;
  int paddingChars;
  String extraChoiceText;
  String model;
  int cutAfterChunks = -1;
  int stallAfterChunks = -1;
  String errorAfterText;
  boolean errorAsEvent;

  ElectronReplyBuilder() {}

  /** Appends text, split into word fragments (a digit run of 3 or more is split after its first digit). */
  public ElectronReplyBuilder text(String text) { textFragments.addAll(TextFragments.words(text)); return this; }

  /** Appends content fragments exactly as given, one delta each. */
  public ElectronReplyBuilder contentFragments(String... fragments) { textFragments.addAll(List.of(fragments)); return this; }

  /** Adds a tool call; calls get {@code index} 0, 1, ... in the order added. */
  public ElectronReplyBuilder toolCall(String id, String name, String argumentsJson) {
    toolCalls.add(new ToolCall(Objects.requireNonNull(id), Objects.requireNonNull(name), Objects.requireNonNull(argumentsJson)));
    return this;
  }

  /** Splits each call's arguments into {@code n} nearly equal pieces after its head delta (default 3). */
  public ElectronReplyBuilder fragmentArguments(int n) {
    if (n < 1) throw new IllegalArgumentException("fragmentArguments must be >= 1, got " + n);
    argumentFragments = n; return this;
  }
  /** Alternates the deltas of the calls: head 0, head 1, fragment 0, fragment 1, ... */
  public ElectronReplyBuilder interleaveToolCalls() { interleaveToolCalls = true; return this; }
  /** Sends the whole {@code arguments} string in the head delta, no fragments. */
  public ElectronReplyBuilder argumentsWhole() { argumentsWhole = true; return this; }
  /** Sends {@code arguments} whole, as a parsed JSON object instead of a string. */
  public ElectronReplyBuilder argumentsAsObject() { argumentsAsObject = true; argumentsWhole = true; return this; }
  public ElectronReplyBuilder missingIndex() { missingIndex = true; return this; }
  public ElectronReplyBuilder missingType() { missingType = true; return this; }
  /** Later deltas of a call carry {@code id: ""} and {@code name: ""}. */
  public ElectronReplyBuilder repeatEmptyIdAndName() { repeatEmptyIdAndName = true; return this; }
  /** Later deltas of a call repeat the full {@code id}, {@code type} and {@code name}. */
  public ElectronReplyBuilder repeatIdAndName() { repeatIdAndName = true; return this; }
  /** The head delta has no {@code name}; it arrives with the next delta of that call. */
  public ElectronReplyBuilder nameInLaterDelta() { nameInLaterDelta = true; return this; }
  /** The last text fragment rides in the same delta as the first tool-call head. */
  public ElectronReplyBuilder contentWithFirstToolCall() { contentWithFirstToolCall = true; return this; }
  /** Tool-call deltas carry {@code "content": null}. */
  public ElectronReplyBuilder contentNullInToolChunks() { toolContent = ToolContent.NULL; return this; }
  /** Tool-call deltas carry {@code "content": ""}. */
  public ElectronReplyBuilder emptyStringContent() { toolContent = ToolContent.EMPTY_STRING; return this; }

  /** Streams {@code text} in {@code reasoning_content} deltas before any content. */
  public ElectronReplyBuilder reasoningContent(String text) { reasoningField = "reasoning_content"; reasoningText = text; return this; }
  /** Streams {@code text} in {@code reasoning} deltas before any content. */
  public ElectronReplyBuilder reasoning(String text) { reasoningField = "reasoning"; reasoningText = text; return this; }
  /** Streams {@code <think>thought</think>} as content before the text, with the tags split across fragments. */
  public ElectronReplyBuilder thinkTags(String thought) { this.thought = thought; return this; }
  /**
   * gpt-oss output from a server without a harmony parser: the content is
   * {@code <|channel|>analysis<|message|>analysis<|end|><|start|>assistant<|channel|>final<|message|>}, the text, then
   * {@code <|return|>}, every token split across two fragments.
   */
  public ElectronReplyBuilder harmony(String analysis) { harmonyAnalysis = Objects.requireNonNull(analysis); return this; }
  /**
   * Ignores {@code stream: true}, as some servers do: the reply is one {@code chat.completion} object with
   * {@code Content-Type: application/json} (timings and faults do not apply).
   */
  public ElectronReplyBuilder ignoreStream() { ignoreStream = true; return this; }

  public ElectronReplyBuilder roleInEveryDelta() { role = Role.EVERY_DELTA; return this; }
  public ElectronReplyBuilder noRole() { role = Role.NEVER; return this; }

  /** Overrides the finish reason (default {@code tool_calls} with calls, else {@code stop}); any string is sent. */
  public ElectronReplyBuilder finishReason(String reason) { finishReason = reason; return this; }
  public ElectronReplyBuilder finishReasonRepeated() { finishReasonRepeated = true; return this; }
  public ElectronReplyBuilder noFinishReason() { noFinishReason = true; return this; }
  /** Puts {@code finish_reason} on the last content or tool delta instead of a separate empty-delta chunk. */
  public ElectronReplyBuilder finishOnLastChunk() { finishOnLastChunk = true; return this; }

  /** Usage in a final chunk with {@code choices: []}, always sent. */
  public ElectronReplyBuilder usageSeparate() { usage = Usage.SEPARATE; return this; }
  /** Usage in a final chunk with {@code "choices": null}. */
  public ElectronReplyBuilder usageChoicesNull() { usage = Usage.SEPARATE_CHOICES_NULL; return this; }
  /** Usage in a final chunk without a {@code choices} field. */
  public ElectronReplyBuilder usageWithoutChoices() { usage = Usage.SEPARATE_NO_CHOICES; return this; }
  public ElectronReplyBuilder usageInFinishChunk() { usage = Usage.IN_FINISH_CHUNK; return this; }
  /** Cumulative usage on every chunk, complete on the last one. */
  public ElectronReplyBuilder usageOnEveryChunk() { usage = Usage.EVERY_CHUNK; return this; }
  public ElectronReplyBuilder noUsage() { usage = Usage.NONE; return this; }
  /** Chunks without usage carry {@code "usage": null}. */
  public ElectronReplyBuilder usageNullOnChunks() { usageNullOnChunks = true; return this; }
  public ElectronReplyBuilder cachedTokensAt(CachedTokensAt where) { cachedTokensAt = Objects.requireNonNull(where); return this; }
  /** Reports these numbers instead of the computed ones. */
  public ElectronReplyBuilder usage(int promptTokens, int completionTokens, int cachedTokens) {
    usageOverride = new int[] {promptTokens, completionTokens, cachedTokens}; return this;
  }

  /** A first chunk with {@code choices: []} carrying {@code prompt_filter_results}. */
  public ElectronReplyBuilder leadingEmptyChoicesChunk() { leadingEmptyChoicesChunk = true; return this; }
  public ElectronReplyBuilder noDone() { noDone = true; return this; }
  /** Sends {@code [DONE]} and keeps the connection open until the client closes it. */
  public ElectronReplyBuilder doneThenKeepOpen() { keepOpenAfterDone = true; return this; }
  /** A {@code : processing} comment before the first event and a {@code : ping} comment before the last one. */
  public ElectronReplyBuilder commentLines() { commentLines = true; return this; }
  /** An {@code event: message} line before every {@code data:} line. */
  public ElectronReplyBuilder eventLines() { eventLines = true; return this; }
  public ElectronReplyBuilder crlf() { crlf = true; return this; }
  /** {@code data:{...}} without the space. */
  public ElectronReplyBuilder noSpaceAfterData() { noSpaceAfterData = true; return this; }
  /** An empty {@code data:} event before the first chunk. */
  public ElectronReplyBuilder emptyDataLine() { emptyDataLine = true; return this; }
  /** The first content chunk carries an unknown field {@code x_padding} of {@code chars} characters. */
  public ElectronReplyBuilder veryLongDataLine(int chars) { paddingChars = chars; return this; }
  /** Chunks carry only {@code choices} and {@code usage}: no {@code id}, {@code object}, {@code created}, {@code model}. */
  public ElectronReplyBuilder bareChunks() { bareChunks = true; return this; }
  /** Every chunk has a different {@code id}. */
  public ElectronReplyBuilder varyingChunkIds() { varyingChunkIds = true; return this; }
  /** The first delta chunk also carries a choice with {@code index: 1} and this text, to be ignored. */
  public ElectronReplyBuilder extraChoice(String text) { extraChoiceText = text; return this; }
  /** The {@code model} reported in chunks, instead of the emulator's. */
  public ElectronReplyBuilder model(String reported) { model = reported; return this; }

  public ElectronReplyBuilder firstTokenDelay(Duration delay) { firstTokenDelay = Objects.requireNonNull(delay); return this; }
  public ElectronReplyBuilder interChunkDelay(Duration delay) { interChunkDelay = Objects.requireNonNull(delay); return this; }
  /** Closes the connection after {@code n} data events, without [DONE] or a terminating HTTP chunk. */
  public ElectronReplyBuilder cutAfterChunks(int n) { cutAfterChunks = n; return this; }
  /** Stops sending after {@code n} data events and keeps the connection open until the client closes it. */
  public ElectronReplyBuilder stallAfterChunks(int n) { stallAfterChunks = n; return this; }
  /** After the reasoning and text deltas: an {@code event: error} line and a data event with an error object; then the response ends. */
  public ElectronReplyBuilder errorEventAfterText(String message) { errorAfterText = message; errorAsEvent = true; return this; }
  /** After the reasoning and text deltas: a data event whose JSON is a top-level {@code error} object; then the response ends. */
  public ElectronReplyBuilder errorChunkAfterText(String message) { errorAfterText = message; errorAsEvent = false; return this; }

  public ElectronReply build() {
    return new ScriptedStream(copy());
  }

  private ElectronReplyBuilder copy() {
    try {
      ElectronReplyBuilder c = (ElectronReplyBuilder) super.clone();
      c.textFragments = List.copyOf(textFragments);
      c.toolCalls = List.copyOf(toolCalls);
      c.usageOverride = usageOverride == null ? null : usageOverride.clone();
      return c;
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }
}
