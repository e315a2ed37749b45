package dev.lockstep.api.idempotency;

import dev.lockstep.api.Aead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stored idempotent answers are sealed so that no secret an answer carries (a new API key's {@code
 * sk_…}, a webhook's {@code whsec_…}) rests in the database in clear: AES-256-GCM under a key
 * derived with HMAC-SHA256 (HKDF, RFC 5869, one block) from the caller's own bearer secret, which
 * the daemon never stores (only its SHA-256). Only a retry presenting the same API key can open the
 * answer and have it replayed verbatim; another key of the same tenant cannot, and is told the
 * Idempotency-Key was first used with another API key.
 *
 * <p>Layout of a sealed answer: 12-byte random nonce, then the ciphertext with its 16-byte tag. The
 * tenant, environment and Idempotency-Key are bound as associated data. Thread-safe.
 */
final class SealedAnswers {
  private static final String INFO = "lockstep idempotent answer v1";

  private SealedAnswers() {}

  /** Seals {@code body} for the caller holding {@code bearerSecret}. */
  static byte[] seal(String bearerSecret, String scope, byte[] body) {
    return Aead.seal(key(bearerSecret), scope.getBytes(StandardCharsets.UTF_8), body);
  }

  /**
   * Opens an answer sealed by {@link #seal}.
   *
   * @return empty if {@code bearerSecret} or {@code scope} is not the one it was sealed for (or the
   *     bytes were altered)
   */
  static Optional<byte[]> open(String bearerSecret, String scope, byte[] sealed) {
    return Aead.open(key(bearerSecret), scope.getBytes(StandardCharsets.UTF_8), sealed);
  }

  /** HKDF-SHA256 (RFC 5869) with an empty salt and one output block: a 32-byte AES key. */
  private static byte[] key(String bearerSecret) {
    try {
      return hkdf(bearerSecret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private static byte[] hkdf(String bearerSecret) throws GeneralSecurityException {
    Mac extract = Mac.getInstance("HmacSHA256");
    extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    byte[] prk = extract.doFinal(bearerSecret.getBytes(StandardCharsets.UTF_8));
    Mac expand = Mac.getInstance("HmacSHA256");
    expand.init(new SecretKeySpec(prk, "HmacSHA256"));
    expand.update(INFO.getBytes(StandardCharsets.UTF_8));
    expand.update((byte) 1);
    return expand.doFinal();
  }
}
