package dev.lockstep.api.customer;

import dev.lockstep.api.Params;
import dev.lockstep.api.error.ApiException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/customers} (reference platform-docs "Customers & attestations"): the
 * tenant's {@code external_id} for the customer, the customer's wallet, and optionally an
 * attestation from the tenant's KYC/KYB vendor. Validated on construction; every refusal is an
 * {@code invalid_request} naming the field.
 */
public record CustomerRequest(String externalId, String wallet, @Nullable Attestation attestation) {
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

  public CustomerRequest {
    if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
      throw ApiException.invalidParam(
          "external_id", "'external_id' is required: 1-128 printable ASCII characters");
    }
    wallet = Params.address("wallet", wallet);
  }

  /** The attestation, if the request carries one. */
  public Optional<Attestation> attestationIfAny() {
    return Optional.ofNullable(attestation);
  }

  /**
   * An attestation as posted. Times are ISO-8601 instants ({@code 2026-04-19T10:22:00Z}).
   *
   * @param provider one of {@link #PROVIDERS}; {@code custom} needs {@code provider_name}
   * @param signals one or more of {@link #SIGNALS}, no repeats
   * @param attestationHash SHA-256 of the raw attestation payload, {@code 0x} and 64 hex digits
   * @param pii {@code hash_only} (default: no payload stored) or {@code encrypted} (needs {@code
   *     encrypted_payload}, base64 ciphertext of at most 32 KiB, and {@code kms_key_id})
   */
  public record Attestation(
      String kind,
      String provider,
      @Nullable String providerName,
      String vendorReference,
      String attestedAt,
      @Nullable String expiresAt,
      List<String> signals,
      String attestationHash,
      String pii,
      @Nullable String encryptedPayload,
      @Nullable String kmsKeyId) {
    /** Vendors the reference names, and {@code custom}. */
    public static final Set<String> PROVIDERS =
        Set.of("jumio", "onfido", "persona", "sumsub", "middesk", "alloy", "veriff", "custom");

    /** Signals the reference names. */
    public static final Set<String> SIGNALS =
        Set.of(
            "document_verified",
            "liveness_verified",
            "sanctions_clear",
            "pep_check_clear",
            "accreditation_verified",
            "ubo_verified",
            "source_of_funds_verified",
            "addresses_verified");

    private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final Pattern TEXT = Pattern.compile("[\\x20-\\x7e]{1,256}");
    private static final int MAX_CIPHERTEXT = 32 * 1024;

    public Attestation {
      if (kind == null || !(kind.equals("kyc") || kind.equals("kyb"))) {
        throw bad("kind", "must be 'kyc' or 'kyb'");
      }
      if (provider == null || !PROVIDERS.contains(provider)) {
        throw bad("provider", "must be one of " + PROVIDERS.stream().sorted().toList());
      }
      if (provider.equals("custom") != (providerName != null)) {
        throw bad("provider_name", "is required with provider 'custom' and only then");
      }
      if (providerName != null && !TEXT.matcher(providerName).matches()) {
        throw bad("provider_name", "must be 1-256 printable characters");
      }
      if (vendorReference == null || !TEXT.matcher(vendorReference).matches()) {
        throw bad("vendor_reference", "is required: 1-256 printable characters");
      }
      Instant attested = instant("attested_at", attestedAt, true);
      Instant expires = instant("expires_at", expiresAt, false);
      if (expires != null && !expires.isAfter(attested)) {
        throw bad("expires_at", "must be after attested_at");
      }
      if (signals == null || signals.isEmpty()) {
        throw bad("signals", "needs at least one signal");
      }
      for (int i = 0; i < signals.size(); i++) {
        if (signals.get(i) == null || !SIGNALS.contains(signals.get(i))) {
          throw bad("signals[" + i + "]", "must be one of " + SIGNALS.stream().sorted().toList());
        }
      }
      if (new LinkedHashSet<>(signals).size() != signals.size()) {
        throw bad("signals", "must not repeat a signal");
      }
      signals = List.copyOf(signals);
      if (attestationHash == null || !HASH.matcher(attestationHash).matches()) {
        throw bad("attestation_hash", "must be the SHA-256 of the payload: 0x and 64 hex digits");
      }
      attestationHash = attestationHash.toLowerCase();
      pii = pii == null ? "hash_only" : pii;
      if (!pii.equals("hash_only") && !pii.equals("encrypted")) {
        throw bad("pii", "must be 'hash_only' or 'encrypted'");
      }
      if (pii.equals("encrypted")) {
        if (encryptedPayload == null
            || encryptedPayload.length() > MAX_CIPHERTEXT * 4 / 3 + 4
            || !base64(encryptedPayload)) {
          throw bad(
              "encrypted_payload",
              "is required with pii 'encrypted': base64 ciphertext of at most 32 KiB");
        }
        if (kmsKeyId == null || !TEXT.matcher(kmsKeyId).matches()) {
          throw bad("kms_key_id", "is required with pii 'encrypted'");
        }
      } else if (encryptedPayload != null || kmsKeyId != null) {
        throw bad(
            "pii",
            "is 'hash_only': no payload is stored, so send neither encrypted_payload nor kms_key_id");
      }
    }

    /** {@code attested_at} as an instant. */
    public Instant attestedInstant() {
      return Instant.parse(attestedAt);
    }

    /** {@code expires_at} as an instant, if given. */
    public Optional<Instant> expiresInstant() {
      return Optional.ofNullable(expiresAt).map(Instant::parse);
    }

    private static Instant instant(String field, String value, boolean required) {
      if (value == null) {
        if (required) {
          throw bad(field, "is required: an ISO-8601 UTC timestamp such as 2026-04-19T10:22:00Z");
        }
        return null;
      }
      try {
        return Instant.parse(value);
      } catch (RuntimeException e) {
        throw bad(field, "must be an ISO-8601 UTC timestamp such as 2026-04-19T10:22:00Z");
      }
    }

    private static boolean base64(String s) {
      try {
        Base64.getDecoder().decode(s);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static ApiException bad(String field, String why) {
      return ApiException.invalidParam(
          "attestation." + field, "'attestation." + field + "' " + why);
    }
  }
}
