package voiceagent.core.carrier;

import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import voiceagent.common.Secret;

/**
 * Decides whether a carrier's WebSocket upgrade is allowed. Twilio: {@code X-Twilio-Signature} over the stream URL
 * ({@link TwilioSignature}). The others: the carrier's shared secret, found in the upgrade's {@code token} query
 * parameter, an {@code X-Voice-Agent-Token} header, Telnyx's {@code x-telnyx-streaming-auth-token} header, or the
 * {@code Authorization} header ({@code Bearer <secret>}, or {@code Basic} whose password is the secret: Exotel's
 * {@code wss://KEY:TOKEN@host} and Vonage's NCCO {@code authorization}). Comparisons are constant time; reasons name
 * what was missing or wrong, never a secret.
 *
 * <p>Plivo sends its {@code extraHeaders} only inside the start message: {@link #tokenMatches} checks a token taken
 * from {@link CarrierEvent.Started#customParameters()} (also the per-call token Twilio recommends in
 * {@code <Parameter>}).
 *
 * <p>Thread contract: immutable.
 */
public final class StreamAuthenticator {
  public static final String TOKEN_PARAMETER = "token";
  public static final String TOKEN_HEADER = "X-Voice-Agent-Token";
  public static final String TELNYX_HEADER = "x-telnyx-streaming-auth-token";

  private final Map<Carrier, Secret> secrets;
  private final String publicBaseUrl;

  /** The outcome; {@code reason} is for the log line of a refused upgrade. */
  public record Decision(boolean accepted, String reason) {}

  /**
   * @param secrets       each carrier's secret (Twilio: the auth token); a carrier without one is refused
   * @param publicBaseUrl the server's public URL as carriers dial it ({@code https://agent.example.com}); Twilio signs
   *                      the {@code wss://} form of it
   */
  public StreamAuthenticator(Map<Carrier, Secret> secrets, String publicBaseUrl) {
    this.secrets = secrets.isEmpty() ? Map.of() : new EnumMap<>(secrets);
    this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
        : publicBaseUrl;
  }

  /** Checks an upgrade request to {@code uri} (path and query, as the server saw it) with {@code headers}. */
  public Decision check(Carrier carrier, String uri, MultiMap headers) {
    Secret secret = secrets.get(carrier);
    if (secret == null) return new Decision(false, "no secret is configured for " + carrier.id());
    if (carrier == Carrier.TWILIO) {
      String signature = headers.get(TwilioSignature.HEADER);
      if (signature == null) return new Decision(false, "the upgrade has no " + TwilioSignature.HEADER + " header");
      boolean ok = false;
      for (String url : streamUrls(uri)) ok |= TwilioSignature.matches(secret, url, List.of(), signature);
      return ok ? new Decision(true, "signature valid") : new Decision(false, "the Twilio signature does not match");
    }
    String presented = presentedSecret(uri, headers);
    if (presented == null) return new Decision(false, "the upgrade carries no credential for " + carrier.id());
    return equalsConstantTime(presented, secret) ? new Decision(true, "shared secret valid")
        : new Decision(false, "the credential for " + carrier.id() + " does not match");
  }

  /** Whether {@code token} (from the start message's custom parameters) is {@code carrier}'s secret. */
  public boolean tokenMatches(Carrier carrier, String token) {
    Secret secret = secrets.get(carrier);
    return secret != null && token != null && equalsConstantTime(token, secret);
  }

  /** The stream URL in the forms Twilio may have signed: the {@code wss://} URL and the base URL's own scheme. */
  private List<String> streamUrls(String uri) {
    String wss = publicBaseUrl.replaceFirst("^https://", "wss://").replaceFirst("^http://", "ws://") + uri;
    return wss.equals(publicBaseUrl + uri) ? List.of(wss) : List.of(wss, publicBaseUrl + uri);
  }

  private static String presentedSecret(String uri, MultiMap headers) {
    int q = uri.indexOf('?');
    if (q >= 0) {
      for (String pair : uri.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(TOKEN_PARAMETER)) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    if (headers.get(TOKEN_HEADER) != null) return headers.get(TOKEN_HEADER);
    if (headers.get(TELNYX_HEADER) != null) return headers.get(TELNYX_HEADER);
    String auth = headers.get("Authorization");
    if (auth == null) return null;
    if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) return auth.substring(7).strip();
    if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon >= 0 ? pair.substring(colon + 1) : pair;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  /** Constant-time comparison (in the length of the presented value's digest: lengths are not leaked either). */
  static boolean equalsConstantTime(String presented, Secret secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] a = sha.digest(presented.getBytes(StandardCharsets.UTF_8));
      byte[] b = sha.digest(secret.reveal().getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(a, b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
