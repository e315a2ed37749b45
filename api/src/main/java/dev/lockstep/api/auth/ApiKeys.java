package dev.lockstep.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys in table {@code api.api_keys}. A secret is {@code sk_test_} or {@code sk_live_} followed
 * by 32 random base-62 characters (about 190 bits); only its SHA-256 is stored, so a database leak
 * reveals no usable key. Thread-safe.
 */
public final class ApiKeys {
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Clock clock;

  public ApiKeys(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Creates a key and returns its secret, which is not stored and cannot be shown again.
   *
   * @param mode {@code test} or {@code live}
   * @param scope {@code full} or {@code read}
   */
  public String create(String tenantId, String mode, String scope) {
    String secret = "sk_" + mode + "_" + random(32);
    String id = "key_" + random(16);
    jdbi.useHandle(h -> h.createUpdate("""
            INSERT INTO api.api_keys (id, tenant_id, key_hash, key_prefix, mode, scope, created_at)
            VALUES (:id, :t, :h, :p, :m, :s, :at)""")
        .bind("id", id).bind("t", tenantId).bind("h", sha256(secret)).bind("p", secret.substring(0, 12))
        .bind("m", mode).bind("s", scope).bind("at", Timestamp.from(clock.instant())).execute());
    return secret;
  }

  /** The live (not revoked) key whose secret is {@code secret}. */
  public Optional<ApiKey> authenticate(String secret) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT id, tenant_id, mode, scope FROM api.api_keys WHERE key_hash = :h AND revoked_at IS NULL""")
        .bind("h", sha256(secret))
        .map((rs, ctx) -> new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
        .findOne());
  }

  private static String random(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
