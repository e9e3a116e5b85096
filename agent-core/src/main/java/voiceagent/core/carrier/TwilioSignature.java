package voiceagent.core.carrier;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import voiceagent.common.Secret;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): base64 of HMAC-SHA1, keyed with the account's auth token,
 * over the full URL Twilio requested followed by each POST parameter's name and value, sorted by name (Twilio's
 * security documentation). A WebSocket upgrade has no parameters: the URL alone is signed.
 *
 * <p>{@link #matches} compares in constant time and accepts the URL with or without the scheme's default port, as
 * Twilio's own validators do, because a proxy in front of the server may add or drop it.
 *
 * <p>Thread contract: stateless.
 */
public final class TwilioSignature {
  /** The header Twilio sends the signature in. */
  public static final String HEADER = "X-Twilio-Signature";
  private static final String ALGORITHM = "HmacSHA1";

  private TwilioSignature() {}

  /** The signature of {@code url} with {@code params} (POST form fields; empty for an upgrade). */
  public static String compute(Secret authToken, String url, Iterable<Map.Entry<String, String>> params) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>();
    params.forEach(e -> sorted.add(Map.entry(e.getKey(), e.getValue())));
    sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder data = new StringBuilder(url);
    for (Map.Entry<String, String> e : sorted) data.append(e.getKey()).append(e.getValue());
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(authToken.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
    }
  }

  /** Whether {@code signature} is Twilio's signature of {@code url} and {@code params}; false when it is missing. */
  public static boolean matches(Secret authToken, String url, Iterable<Map.Entry<String, String>> params,
      String signature) {
    if (signature == null || signature.isBlank() || authToken == null) return false;
    byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    // Every variant is checked, so the time taken does not tell which one (or whether any) matched.
    for (String candidate : portVariants(url)) {
      ok |= MessageDigest.isEqual(given, compute(authToken, candidate, params).getBytes(StandardCharsets.US_ASCII));
    }
    return ok;
  }

  /** {@code url} as given, plus with the default port added when absent or removed when present. */
  static Set<String> portVariants(String url) {
    Set<String> variants = new LinkedHashSet<>();
    variants.add(url);
    try {
      URI u = URI.create(url);
      int defaultPort = switch (String.valueOf(u.getScheme())) {
        case "https", "wss" -> 443;
        case "http", "ws" -> 80;
        default -> -1;
      };
      if (defaultPort < 0 || u.getRawAuthority() == null) return variants;
      String host = u.getHost();
      String rest = url.substring(url.indexOf(u.getRawAuthority()) + u.getRawAuthority().length());
      String prefix = u.getScheme() + "://" + (u.getRawUserInfo() != null ? u.getRawUserInfo() + "@" : "");
      if (u.getPort() == -1) variants.add(prefix + host + ":" + defaultPort + rest);
      else if (u.getPort() == defaultPort) variants.add(prefix + host + rest);
    } catch (IllegalArgumentException e) {
      // Not a URI Java can parse: only the exact form can match.
    }
    return variants;
  }
}
