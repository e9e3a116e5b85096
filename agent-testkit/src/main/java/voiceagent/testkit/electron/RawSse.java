package voiceagent.testkit.electron;

import java.util.List;

/** Raw SSE pieces, each written as one flushed HTTP chunk. Thread contract: immutable. */
record RawSse(List<String> pieces) implements ElectronReply {}
