package voiceagent.server.internal.serve;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import voiceagent.common.AgentException;
import voiceagent.common.Secret;
import voiceagent.common.config.ConfigTree;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.CarrierLimits;
import voiceagent.core.carrier.TwilioRestConfig;

/**
 * What {@code voice-agent serve} needs beyond the agent: where to listen, how it is reached, how many calls it takes,
 * how it shuts down, the carriers' per-call limits and credentials. Read from the {@code server:} and
 * {@code carriers:} sections of {@code voice-agent.yaml}.
 *
 * <p>Thread contract: immutable.
 *
 * @param publicUrl        the base URL carriers dial ({@code https://agent.example.com}); null: the request's Host
 * @param shutdownGraceMs  how long live calls may go on after SIGTERM before they hear the goodbye
 * @param credentials      each carrier's secret (Twilio: the auth token); a carrier without one is refused
 * @param twilioRest       Twilio's REST API for hang-ups and transfers, or null when the account SID is not configured
 * @param transferTo       where the {@code transfer_call} tool sends a caller (a phone number or SIP URI); null: no
 *                         such tool
 * @param noAuth           {@code --no-auth}: every upgrade and webhook is accepted unchecked
 */
public record ServeSettings(String host, int port, String publicUrl, int maxCalls, long shutdownGraceMs,
    String shutdownGoodbye, String greeting, String busyMessage, CarrierLimits limits,
    Map<Carrier, Secret> credentials, TwilioRestConfig twilioRest, String transferTo, boolean noAuth) {

  /** The environment variable that carries each carrier's secret, in the order a refusal names them. */
  public static final Map<Carrier, String> SECRET_VARIABLES = secretVariables();

  public ServeSettings {
    if (port < 0 || port > 65_535) throw AgentException.config("server.port", port, "expected 0..65535");
    if (maxCalls < 1) throw AgentException.config("server.max_calls", maxCalls, "expected at least 1");
    if (shutdownGraceMs < 0) throw AgentException.config("server.shutdown_grace_ms", shutdownGraceMs, "negative");
    if (publicUrl != null && publicUrl.isBlank()) publicUrl = null;
    if (publicUrl != null) {
      if (!publicUrl.matches("(?i)(https?|wss?)://[^/\\s]+(/.*)?")) {
        throw AgentException.config("server.public_url", publicUrl, "expected an http(s) URL such as "
            + "https://agent.example.com");
      }
      publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
    if (transferTo != null && transferTo.isBlank()) transferTo = null;
    if (transferTo != null && !transferTo.matches("\\+[0-9]{6,15}|sips?:[^\\s<>&]+")) {
      throw AgentException.config("server.transfer_to", transferTo, "expected a phone number such as +15551234567 "
          + "or a SIP URI");
    }
    credentials = credentials.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(credentials));
  }

  /** Reads the settings; {@code portOverride} ({@code --port}) wins over {@code server.port} when not null. */
  public static ServeSettings from(ConfigTree root, Integer portOverride, boolean noAuth) {
    ConfigTree server = root.section("server");
    ConfigTree carrier = server.section("carrier");
    CarrierLimits d = CarrierLimits.DEFAULTS;
    CarrierLimits limits = new CarrierLimits(carrier.integer("max_message_bytes", d.maxMessageBytes()),
        carrier.integer("max_messages_per_second", d.maxMessagesPerSecond()),
        carrier.integer("max_consecutive_malformed", d.maxConsecutiveMalformed()),
        carrier.longValue("start_timeout_ms", d.startTimeoutMillis()));
    ConfigTree carriers = root.section("carriers");
    Map<Carrier, Secret> secrets = new EnumMap<>(Carrier.class);
    for (Carrier c : Carrier.values()) {
      String key = c == Carrier.TWILIO ? "auth_token" : "stream_secret";
      Secret s = Secret.ofNullable(blankToNull(carriers.section(c.id()).string(key, null)));
      if (s != null) secrets.put(c, s);
    }
    ConfigTree twilio = carriers.section("twilio");
    String sid = blankToNull(twilio.string("account_sid", null));
    TwilioRestConfig rest = sid == null || !secrets.containsKey(Carrier.TWILIO) ? null
        : new TwilioRestConfig(twilio.string("api_base_url", TwilioRestConfig.DEFAULT_BASE_URL), sid,
            secrets.get(Carrier.TWILIO), TwilioRestConfig.DEFAULT_TIMEOUT_MILLIS);
    return new ServeSettings(server.string("host", "0.0.0.0"),
        portOverride != null ? portOverride : server.integer("port", 8080),
        blankToNull(server.string("public_url", null)), server.integer("max_calls", 1000),
        server.longValue("shutdown_grace_ms", 30_000), blankToNull(server.string("shutdown_goodbye", null)),
        blankToNull(server.string("greeting", null)), server.string("busy_message", "All our lines are busy."),
        limits, secrets, rest, server.string("transfer_to", null), noAuth);
  }

  /** The variables of the carriers without a secret, Twilio's first. */
  public List<String> missingCredentials() {
    List<String> missing = new ArrayList<>();
    SECRET_VARIABLES.forEach((c, name) -> {
      if (!credentials.containsKey(c)) missing.add(name);
    });
    return missing;
  }

  public ServeSettings withMaxCalls(int n) {
    return new ServeSettings(host, port, publicUrl, n, shutdownGraceMs, shutdownGoodbye, greeting, busyMessage,
        limits, credentials, twilioRest, transferTo, noAuth);
  }

  public ServeSettings withShutdownGraceMs(long ms) {
    return new ServeSettings(host, port, publicUrl, maxCalls, ms, shutdownGoodbye, greeting, busyMessage, limits,
        credentials, twilioRest, transferTo, noAuth);
  }

  public ServeSettings withTwilioRest(TwilioRestConfig rest) {
    return new ServeSettings(host, port, publicUrl, maxCalls, shutdownGraceMs, shutdownGoodbye, greeting, busyMessage,
        limits, credentials, rest, transferTo, noAuth);
  }

  public ServeSettings withTransferTo(String target) {
    return new ServeSettings(host, port, publicUrl, maxCalls, shutdownGraceMs, shutdownGoodbye, greeting, busyMessage,
        limits, credentials, twilioRest, target, noAuth);
  }

  private static Map<Carrier, String> secretVariables() {
    Map<Carrier, String> m = new EnumMap<>(Carrier.class);
    m.put(Carrier.TWILIO, "TWILIO_AUTH_TOKEN");
    m.put(Carrier.TELNYX, "TELNYX_STREAM_SECRET");
    m.put(Carrier.PLIVO, "PLIVO_STREAM_SECRET");
    m.put(Carrier.VONAGE, "VONAGE_STREAM_SECRET");
    m.put(Carrier.EXOTEL, "EXOTEL_STREAM_SECRET");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
