package voiceagent.core.carrier;

import java.util.Map;
import voiceagent.common.AgentException;
import voiceagent.common.Secret;

/**
 * Where and how to reach Twilio's REST API.
 *
 * <p>Thread contract: immutable.
 *
 * @param baseUrl       {@code https://api.twilio.com}, or an emulator ({@code TWILIO_API_BASE_URL})
 * @param accountSid    the account ({@code TWILIO_ACCOUNT_SID}); the start message also carries it
 * @param authToken     the auth token ({@code TWILIO_AUTH_TOKEN}), sent as the Basic-auth password
 * @param timeoutMillis how long a request may stay idle before it fails with {@code TIMEOUT}
 */
public record TwilioRestConfig(String baseUrl, String accountSid, Secret authToken, long timeoutMillis) {
  public static final String DEFAULT_BASE_URL = "https://api.twilio.com";
  /** A hang-up is part of ending a call: ten seconds is far past Twilio's usual sub-second answer. */
  public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

  public TwilioRestConfig {
    if (baseUrl == null || !baseUrl.matches("https?://.+")) {
      throw AgentException.config("twilio.api_base_url", baseUrl, "expected an http(s) URL");
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (accountSid == null || !accountSid.matches("[A-Za-z0-9]{1,64}")) {
      throw AgentException.config("twilio.account_sid", accountSid, "expected the account SID (AC…)");
    }
    if (authToken == null) throw AgentException.config("twilio.auth_token", "<unset>", "TWILIO_AUTH_TOKEN is required");
    if (timeoutMillis < 1) throw AgentException.config("twilio.timeout_ms", timeoutMillis, "positive");
  }

  /** From {@code TWILIO_API_BASE_URL} (default {@link #DEFAULT_BASE_URL}), {@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN}. */
  public static TwilioRestConfig fromEnv(Map<String, String> env) {
    return new TwilioRestConfig(env.getOrDefault("TWILIO_API_BASE_URL", DEFAULT_BASE_URL), env.get("TWILIO_ACCOUNT_SID"),
        Secret.ofNullable(env.get("TWILIO_AUTH_TOKEN")), DEFAULT_TIMEOUT_MILLIS);
  }
}
