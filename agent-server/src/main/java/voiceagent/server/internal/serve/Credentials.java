package voiceagent.server.internal.serve;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import voiceagent.common.Secret;
import voiceagent.core.carrier.Carrier;
import voiceagent.core.carrier.StreamAuthenticator;
import voiceagent.core.carrier.TwilioSignature;

/**
 * Checks what carriers present: Twilio's signature on the answer webhook and on the stream upgrade, the other
 * carriers' shared secret on the upgrade (Plivo's may come in the start message instead). With {@code --no-auth}
 * everything is accepted.
 *
 * <p>The URL Twilio signed is the one it requested: {@code server.public_url} plus the request's path and query when
 * configured, else the request's {@code Host} with {@code https} (Twilio requires TLS; a proxy in front terminates it),
 * or the scheme of {@code X-Forwarded-Proto}.
 *
 * <p>Thread contract: immutable.
 */
final class Credentials {
  private final Map<Carrier, Secret> secrets;
  private final String publicUrl;
  private final boolean noAuth;
  private final StreamAuthenticator fixed; // null when the base URL comes from each request

  Credentials(ServeSettings settings) {
    this.secrets = settings.credentials();
    this.publicUrl = settings.publicUrl();
    this.noAuth = settings.noAuth();
    this.fixed = publicUrl == null ? null : new StreamAuthenticator(secrets, publicUrl);
  }

  /** The server's base URL as the carrier dialled it ({@code https://host}). */
  String baseUrl(HttpServerRequest req) {
    if (publicUrl != null) return publicUrl;
    String proto = req.getHeader("X-Forwarded-Proto");
    String scheme = proto == null ? "https" : proto.split(",")[0].strip();
    String host = req.getHeader("X-Forwarded-Host");
    if (host == null && req.authority() != null) {
      // The Host header, or HTTP/2's :authority (an h2c client sends no Host).
      host = req.authority().host() + (req.authority().port() >= 0 ? ":" + req.authority().port() : "");
    }
    return scheme + "://" + (host == null ? "localhost" : host.split(",")[0].strip());
  }

  /** Whether a carrier's upgrade may go on; the reason names what was missing or wrong, never a secret. */
  StreamAuthenticator.Decision upgrade(Carrier carrier, HttpServerRequest req) {
    if (noAuth) return new StreamAuthenticator.Decision(true, "--no-auth");
    StreamAuthenticator auth = fixed != null ? fixed : new StreamAuthenticator(secrets, baseUrl(req));
    return auth.check(carrier, req.uri(), req.headers());
  }

  /** Whether Plivo's token from its start message ({@code extraHeaders} {@code token=…}) is its secret. */
  boolean startToken(Carrier carrier, String token) {
    return noAuth || new StreamAuthenticator(secrets, "https://localhost").tokenMatches(carrier, token);
  }

  /** Whether the answer webhook's {@code X-Twilio-Signature} matches its URL and form parameters. */
  boolean twilioWebhook(HttpServerRequest req, MultiMap form) {
    if (noAuth) return true;
    Secret token = secrets.get(Carrier.TWILIO);
    String signature = req.getHeader(TwilioSignature.HEADER);
    if (token == null || signature == null) return false;
    List<Map.Entry<String, String>> params = new ArrayList<>();
    form.forEach(e -> params.add(Map.entry(e.getKey(), e.getValue())));
    return TwilioSignature.matches(token, baseUrl(req) + req.uri(), params, signature);
  }

  /** Why the webhook was refused, for the log line. */
  String twilioWebhookRefusal(HttpServerRequest req) {
    if (!secrets.containsKey(Carrier.TWILIO)) return "no secret is configured for twilio";
    return req.getHeader(TwilioSignature.HEADER) == null ? "the request has no " + TwilioSignature.HEADER + " header"
        : "the Twilio signature does not match";
  }
}
