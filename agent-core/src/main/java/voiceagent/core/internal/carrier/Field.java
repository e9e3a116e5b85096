package voiceagent.core.internal.carrier;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON field names the carriers use, each known under every casing they have been seen in ({@code streamSid},
 * {@code stream_sid}, {@code StreamSid}, {@code streamsid}, {@code STREAM_SID}). Lookup is one hash probe on the
 * parser's interned name, so matching a field allocates nothing.
 *
 * <p>Thread contract: immutable.
 */
enum Field {
  EVENT("event"), SEQUENCE("sequenceNumber"), STREAM_ID("streamSid", "streamId"), MEDIA("media"), START("start"),
  MARK("mark"), DTMF("dtmf"), STOP("stop"), NAME("name"), DIGIT("digit"), DURATION("duration"), PAYLOAD("payload"),
  CHUNK("chunk"), TIMESTAMP("timestamp"), TRACK("track"), CALL_ID("callSid", "callId", "callControlId"),
  CALL_SESSION("callSessionId"), ACCOUNT("accountSid", "accountId"), CUSTOM("customParameters"),
  FORMAT("mediaFormat"), ENCODING("encoding"), SAMPLE_RATE("sampleRate", "rate"), CHANNELS("channels"),
  BIT_RATE("bitRate"), EXTRA_HEADERS("extraHeaders"), CONTENT_TYPE("contentType", "content-type"), REASON("reason"),
  ERROR("error"), TRACKS("tracks");

  private static final Map<String, Field> BY_NAME = new HashMap<>();

  static {
    for (Field f : values()) {
      for (String camel : f.names) {
        String snake = camel.replace("-", "_").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        for (String v : new String[] {camel, snake, snake.toUpperCase(Locale.ROOT), snake.replace("_", ""),
            Character.toUpperCase(camel.charAt(0)) + camel.substring(1)}) {
          BY_NAME.putIfAbsent(v, f);
        }
      }
    }
  }

  private final String[] names;

  Field(String... names) {
    this.names = names;
  }

  /** The field {@code name} stands for, or {@code null} when it is not one the codecs read. */
  static Field of(String name) {
    return name == null ? null : BY_NAME.get(name);
  }
}
