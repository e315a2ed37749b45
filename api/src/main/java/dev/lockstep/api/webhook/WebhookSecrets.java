package dev.lockstep.api.webhook;

import dev.lockstep.api.Aead;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Webhook signing secrets at rest. The daemon needs a secret in clear to sign each delivery, so it
 * cannot keep only a hash (as for API keys): with the daemon's secrets key configured, a secret is
 * stored sealed ({@code api.webhooks.secret_sealed}: AES-256-GCM, {@link Aead}, bound to its
 * webhook's id) and opened only to sign. Without a key (a test-mode configuration that sets none)
 * secrets are stored in clear, and the daemon says so at start; a live daemon refuses to start
 * without one. Thread-safe.
 */
public final class WebhookSecrets {
  private static final String AAD = "lockstep webhook secret v1|";

  private final byte @Nullable [] key;

  private WebhookSecrets(byte @Nullable [] key) {
    this.key = key == null ? null : Arrays.copyOf(key, key.length);
  }

  /**
   * Seals under {@code keyHex}: 32 bytes as 64 hex digits (an optional {@code 0x} prefix).
   *
   * @throws IllegalArgumentException if it is not 32 bytes of hex
   */
  public static WebhookSecrets sealedWith(String keyHex) {
    String hex = keyHex.startsWith("0x") ? keyHex.substring(2) : keyHex;
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the secrets key must be 32 bytes as 64 hex digits");
    }
    return new WebhookSecrets(HexFormat.of().parseHex(hex));
  }

  /** No key: secrets are stored in clear (test-mode configurations without one). */
  public static WebhookSecrets inClear() {
    return new WebhookSecrets(null);
  }

  /** Whether secrets are stored sealed. */
  public boolean sealing() {
    return key != null;
  }

  /** {@code secret} sealed for webhook {@code webhookId}; empty when storing in clear. */
  Optional<byte[]> seal(String webhookId, String secret) {
    return key == null
        ? Optional.empty()
        : Optional.of(Aead.seal(key, aad(webhookId), secret.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The secret of webhook {@code webhookId}: {@code clear} if it is stored so, else {@code sealed}
   * opened.
   *
   * @throws IllegalStateException if it is sealed and this daemon's key does not open it (another
   *     key), or nothing is stored
   */
  String open(String webhookId, @Nullable String clear, byte @Nullable [] sealed) {
    if (clear != null) {
      return clear;
    }
    if (sealed == null || key == null) {
      throw new IllegalStateException(
          "webhook " + webhookId + "'s secret is sealed and this daemon has no secrets key");
    }
    return Aead.open(key, aad(webhookId), sealed)
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "webhook " + webhookId + "'s secret does not open with this daemon's key"));
  }

  private static byte[] aad(String webhookId) {
    return (AAD + webhookId).getBytes(StandardCharsets.UTF_8);
  }
}
