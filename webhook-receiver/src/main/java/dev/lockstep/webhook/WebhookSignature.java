package dev.lockstep.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lockstep webhook signatures: {@code hex(HMAC-SHA256(secret, timestamp + "." + raw_body))}, where
 * {@code timestamp} is the Unix time in seconds sent in {@link #TIMESTAMP_HEADER} and {@code
 * raw_body} the exact bytes of the request body. The daemon signs with {@link #sign}; a receiver
 * calls {@link #verify} on the raw body before parsing it, and then deduplicates on {@link
 * #DELIVERY_ID_HEADER} (deliveries are at least once).
 *
 * <pre>{@code
 * WebhookSignature.verify(rawBody, "whsec_...", request.header(WebhookSignature.SIGNATURE_HEADER),
 *     request.header(WebhookSignature.TIMESTAMP_HEADER), Instant.now(), WebhookSignature.DEFAULT_TOLERANCE);
 * }</pre>
 *
 * Thread-safe; uses only the JDK.
 */
public final class WebhookSignature {
  /** Hex HMAC-SHA256 of {@code timestamp + "." + raw_body} with the endpoint's secret. */
  public static final String SIGNATURE_HEADER = "X-Lockstep-Signature";

  /** Unix seconds at which the delivery was signed. */
  public static final String TIMESTAMP_HEADER = "X-Lockstep-Signature-Timestamp";

  /** {@code whd_...}: the same for every attempt of one delivery; deduplicate on it. */
  public static final String DELIVERY_ID_HEADER = "X-Lockstep-Delivery-Id";

  /** Event type, for example {@code redeem.settled}; mirrors the body's {@code type}. */
  public static final String EVENT_HEADER = "X-Lockstep-Event";

  /** Subscription id ({@code wh_...}). */
  public static final String WEBHOOK_ID_HEADER = "X-Lockstep-Webhook-Id";

  /** Largest accepted difference between the signing time and the receiver's clock: 5 minutes. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private WebhookSignature() {}

  /** Why a delivery was rejected. */
  public enum Failure {
    /** A header is missing or not in its format. */
    MALFORMED,
    /**
     * The timestamp is further from the receiver's clock than the tolerance (a replay, or a broken
     * clock).
     */
    STALE,
    /** The signature does not match the body and timestamp (tampered, or another secret). */
    MISMATCH
  }

  /** A delivery that failed verification. */
  public static final class VerificationException extends Exception {
    private final Failure failure;

    VerificationException(Failure failure, String message) {
      super(message);
      this.failure = failure;
    }

    /** Why it failed. */
    public Failure failure() {
      return failure;
    }
  }

  /**
   * The signature of {@code rawBody} signed at {@code timestampSeconds} with {@code secret}.
   *
   * @return lowercase hex, 64 characters
   */
  public static String sign(String secret, long timestampSeconds, byte[] rawBody) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(rawBody, "rawBody");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(rawBody));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Verifies one delivery: the timestamp is within {@code tolerance} of {@code now}, and the
   * signature matches (compared in constant time).
   *
   * @param rawBody the request body exactly as received (not re-serialized JSON)
   * @param signature the {@link #SIGNATURE_HEADER} value
   * @param timestamp the {@link #TIMESTAMP_HEADER} value
   * @throws VerificationException if the delivery must be rejected (answer 401 and drop it)
   */
  public static void verify(
      byte[] rawBody,
      String secret,
      String signature,
      String timestamp,
      Instant now,
      Duration tolerance)
      throws VerificationException {
    if (rawBody == null || signature == null || timestamp == null) {
      throw new VerificationException(
          Failure.MALFORMED, "missing body, " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new VerificationException(
          Failure.MALFORMED, TIMESTAMP_HEADER + " is not Unix seconds: " + timestamp);
    }
    long skew = Math.abs(now.getEpochSecond() - seconds);
    if (skew > tolerance.toSeconds()) {
      throw new VerificationException(
          Failure.STALE,
          "signed " + skew + " s away from now (tolerance " + tolerance.toSeconds() + " s)");
    }
    byte[] expected = sign(secret, seconds, rawBody).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new VerificationException(
          Failure.MISMATCH, "signature does not match the body and timestamp");
    }
  }
}
