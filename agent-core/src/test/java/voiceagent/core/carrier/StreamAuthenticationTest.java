package voiceagent.core.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import voiceagent.common.Secret;

/** Twilio signatures (known-good and tampered) and the other carriers' shared secrets on the upgrade. */
class StreamAuthenticationTest {
  /** Twilio's documented example: auth token 12345, this URL and these POST parameters. */
  static final Secret EXAMPLE_TOKEN = Secret.ofNullable("12345");
  static final String EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  static final Map<String, String> EXAMPLE_PARAMS = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030",
      "Digits", "1234", "From", "+12349013030", "To", "+18005551212");
  /** The example's signature, as Twilio's docs give it (and Python's hmac module computes it). */
  static final String EXAMPLE_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

  private static final Secret TOKEN = Secret.ofNullable("secret-token");

  @Test
  void theDocumentedExampleSignatureMatches() {
    assertEquals(EXAMPLE_SIGNATURE, TwilioSignature.compute(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_PARAMS.entrySet()));
    assertTrue(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_PARAMS.entrySet(), EXAMPLE_SIGNATURE));
  }

  @Test
  void aSignatureComputedIndependentlyMatches() throws Exception {
    String url = "wss://agent.example.com/twilio/stream";
    assertEquals(straightforward("secret-token", url, Map.of()), TwilioSignature.compute(TOKEN, url, List.of()));
    assertEquals("bvTdMpx5SApgRMElg/hoTRiG/A0=", TwilioSignature.compute(TOKEN, url, List.of()), "Python's hmac");
    Map<String, String> params = Map.of("b", "2", "a", "1", "CallStatus", "ringing");
    assertEquals(straightforward("secret-token", url, params), TwilioSignature.compute(TOKEN, url, params.entrySet()));
  }

  @Test
  void tamperedSignaturesUrlsParametersOrTokensDoNotMatch() {
    Map<String, String> params = new java.util.HashMap<>(EXAMPLE_PARAMS);
    assertFalse(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL, params.entrySet(), "1/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    assertFalse(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL + "&x=1", params.entrySet(), EXAMPLE_SIGNATURE));
    assertFalse(TwilioSignature.matches(Secret.ofNullable("54321"), EXAMPLE_URL, params.entrySet(), EXAMPLE_SIGNATURE));
    params.put("Digits", "1235");
    assertFalse(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL, params.entrySet(), EXAMPLE_SIGNATURE));
    assertFalse(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_PARAMS.entrySet(), null));
    assertFalse(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_PARAMS.entrySet(), ""));
  }

  @Test
  void theDefaultPortMayBeAddedOrDroppedByAProxy() {
    String signedWithPort = TwilioSignature.compute(EXAMPLE_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
        EXAMPLE_PARAMS.entrySet());
    assertTrue(TwilioSignature.matches(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_PARAMS.entrySet(), signedWithPort));
    assertTrue(TwilioSignature.matches(EXAMPLE_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
        EXAMPLE_PARAMS.entrySet(), EXAMPLE_SIGNATURE));
    assertFalse(TwilioSignature.matches(EXAMPLE_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
        EXAMPLE_PARAMS.entrySet(), EXAMPLE_SIGNATURE));
  }

  @Test
  void twilioUpgradesAreCheckedAgainstTheWssStreamUrl() throws Exception {
    StreamAuthenticator auth = new StreamAuthenticator(Map.of(Carrier.TWILIO, TOKEN), "https://agent.example.com/");
    String good = straightforward("secret-token", "wss://agent.example.com/twilio/stream", Map.of());
    assertTrue(auth.check(Carrier.TWILIO, "/twilio/stream", headers(TwilioSignature.HEADER, good)).accepted());
    StreamAuthenticator.Decision tampered = auth.check(Carrier.TWILIO, "/twilio/stream",
        headers(TwilioSignature.HEADER, good.replace('b', 'c')));
    assertFalse(tampered.accepted());
    assertFalse(tampered.reason().contains(good), "the reason never repeats the signature");
    assertFalse(auth.check(Carrier.TWILIO, "/twilio/stream", MultiMap.caseInsensitiveMultiMap()).accepted());
    assertFalse(auth.check(Carrier.TWILIO, "/other", headers(TwilioSignature.HEADER, good)).accepted());
  }

  @Test
  void otherCarriersPresentTheSharedSecretInTheQueryOrAHeader() {
    Secret s = Secret.ofNullable("s3 cr=t");
    StreamAuthenticator auth = new StreamAuthenticator(Map.of(Carrier.TELNYX, s, Carrier.EXOTEL, s, Carrier.VONAGE, s,
        Carrier.PLIVO, s), "https://agent.example.com");
    assertTrue(auth.check(Carrier.PLIVO, "/plivo/stream?a=1&token=s3%20cr%3Dt", headers()).accepted());
    assertTrue(auth.check(Carrier.TELNYX, "/telnyx/stream", headers(StreamAuthenticator.TELNYX_HEADER, "s3 cr=t"))
        .accepted());
    assertTrue(auth.check(Carrier.VONAGE, "/vonage/stream", headers("Authorization", "Bearer s3 cr=t")).accepted());
    String basic = "Basic " + Base64.getEncoder().encodeToString("KEY:s3 cr=t".getBytes(StandardCharsets.UTF_8));
    assertTrue(auth.check(Carrier.EXOTEL, "/exotel/stream", headers("Authorization", basic)).accepted());
    assertTrue(auth.check(Carrier.EXOTEL, "/exotel/stream", headers(StreamAuthenticator.TOKEN_HEADER, "s3 cr=t"))
        .accepted());

    StreamAuthenticator.Decision wrong = auth.check(Carrier.TELNYX, "/telnyx/stream?token=guess", headers());
    assertFalse(wrong.accepted());
    assertEquals("the credential for telnyx does not match", wrong.reason());
    assertFalse(auth.check(Carrier.VONAGE, "/vonage/stream", headers()).accepted());
    assertFalse(auth.check(Carrier.EXOTEL, "/exotel/stream", headers("Authorization", "Basic !!")).accepted());
    assertFalse(new StreamAuthenticator(Map.of(), "https://x").check(Carrier.PLIVO, "/p?token=a", headers()).accepted());
  }

  @Test
  void aTokenFromTheStartMessageIsComparedWithTheCarriersSecret() {
    StreamAuthenticator auth = new StreamAuthenticator(Map.of(Carrier.PLIVO, TOKEN), "https://x");
    assertTrue(auth.tokenMatches(Carrier.PLIVO, "secret-token"));
    assertFalse(auth.tokenMatches(Carrier.PLIVO, "secret-tokeN"));
    assertFalse(auth.tokenMatches(Carrier.PLIVO, null));
    assertFalse(auth.tokenMatches(Carrier.TWILIO, "secret-token"));
  }

  /** The documented algorithm written out plainly: URL, then name+value of each parameter sorted by name. */
  static String straightforward(String token, String url, Map<String, String> params) throws Exception {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
  }

  static MultiMap headers(String... kv) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) m.add(kv[i], kv[i + 1]);
    return m;
  }
}
