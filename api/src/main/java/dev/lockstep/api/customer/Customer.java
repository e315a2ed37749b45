package dev.lockstep.api.customer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's customer as the API shows it, with its current (newest) attestation.
 *
 * @param id {@code cus_...}
 * @param wallet the customer's EVM wallet, lowercase
 * @param walletProven whether the tenant has proven it controls {@code wallet} ({@code POST
 *     /v1/wallet_links}, or it is the tenant's settlement wallet): only then does it see the
 *     wallet's positions, orders and events
 */
public record Customer(
    String id,
    String object,
    String externalId,
    String wallet,
    boolean walletProven,
    Instant createdAt,
    Instant updatedAt,
    Optional<Attestation> attestation) {

  /**
   * A stored attestation. {@code encrypted_payload} and {@code kms_key_id} appear only with {@code
   * pii: "encrypted"}; with the default {@code hash_only} nothing but metadata and the hash is
   * kept.
   *
   * @param id {@code att_...}
   * @param storedAt when Lockstep stored it
   */
  public record Attestation(
      String id,
      String kind,
      String provider,
      Optional<String> providerName,
      String vendorReference,
      Instant attestedAt,
      Optional<Instant> expiresAt,
      List<String> signals,
      String attestationHash,
      String pii,
      Optional<String> encryptedPayload,
      Optional<String> kmsKeyId,
      Instant storedAt) {}
}
