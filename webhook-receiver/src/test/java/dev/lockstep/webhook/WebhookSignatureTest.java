package dev.lockstep.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.webhook.WebhookSignature.Failure;
import dev.lockstep.webhook.WebhookSignature.VerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final String SECRET = "whsec_test_4eC39HqLyjWDarjtT1zdp7dc";
  private static final byte[] BODY =
      """
      {"id":"evt_1","type":"redeem.settled","data":{"order_id":7,"payout":"612.450000"}}"""
          .getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.ofEpochSecond(1_795_000_000L);

  @Test
  void theSignatureIsHmacSha256OfTimestampDotBody() {
    // Known answers computed independently: printf '1.x' | openssl dgst -sha256 -hmac key
    assertThat(WebhookSignature.sign("key", 1, "x".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec");
    assertThat(
            WebhookSignature.sign(
                "whsec_test", 1_795_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("14cdf372534acd098c83cbb3a5b7081138ef9e1e2ce9f43221f2a73884581201");
    String a = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
    assertThat(WebhookSignature.sign(SECRET, NOW.getEpochSecond() + 1, BODY)).isNotEqualTo(a);
    assertThat(WebhookSignature.sign(SECRET + "x", NOW.getEpochSecond(), BODY)).isNotEqualTo(a);
  }

  @Test
  void aFreshUntamperedDeliveryVerifies() {
    long ts = NOW.getEpochSecond() - 30;
    String sig = WebhookSignature.sign(SECRET, ts, BODY);
    assertThatCode(
            () ->
                WebhookSignature.verify(
                    BODY, SECRET, sig, Long.toString(ts), NOW, WebhookSignature.DEFAULT_TOLERANCE))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                WebhookSignature.verify(
                    BODY,
                    SECRET,
                    sig.toUpperCase(),
                    " " + ts + " ",
                    NOW,
                    WebhookSignature.DEFAULT_TOLERANCE))
        .doesNotThrowAnyException();
  }

  @Test
  void aStaleTimestampIsRejectedEvenWithAValidSignature() {
    long ts = NOW.getEpochSecond() - 301;
    String sig = WebhookSignature.sign(SECRET, ts, BODY);
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    BODY, SECRET, sig, Long.toString(ts), NOW, WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
    long future = NOW.getEpochSecond() + 301;
    String sigFuture = WebhookSignature.sign(SECRET, future, BODY);
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    BODY,
                    SECRET,
                    sigFuture,
                    Long.toString(future),
                    NOW,
                    WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
  }

  @Test
  void aTamperedBodyOrTimestampOrSecretIsRejected() {
    long ts = NOW.getEpochSecond();
    String sig = WebhookSignature.sign(SECRET, ts, BODY);
    byte[] tampered =
        new String(BODY, StandardCharsets.UTF_8)
            .replace("612.45", "912.45")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    tampered,
                    SECRET,
                    sig,
                    Long.toString(ts),
                    NOW,
                    WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MISMATCH));
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    BODY,
                    SECRET,
                    sig,
                    Long.toString(ts - 1),
                    NOW,
                    WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MISMATCH));
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    BODY,
                    "whsec_other",
                    sig,
                    Long.toString(ts),
                    NOW,
                    WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MISMATCH));
  }

  @Test
  void missingOrMalformedHeadersAreRejected() {
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    BODY, SECRET, null, "1", NOW, WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED));
    assertThatThrownBy(
            () ->
                WebhookSignature.verify(
                    BODY, SECRET, "ab", "yesterday", NOW, WebhookSignature.DEFAULT_TOLERANCE))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED));
  }
}
