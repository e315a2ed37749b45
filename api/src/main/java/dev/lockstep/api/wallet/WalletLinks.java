package dev.lockstep.api.wallet;

import dev.lockstep.api.Ids;
import dev.lockstep.api.cache.TenantReads;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.wallet.SignatureCheck.Method;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.web3j.utils.Numeric;

/**
 * Wallets a tenant has proven it controls ({@code api.wallet_challenges}, {@code
 * api.wallet_links}). A challenge names the tenant, the wallet, a single-use 32-byte nonce and an
 * expiry ({@link #CHALLENGE_TTL} after issue) as an EIP-712 {@link WalletLinkMessage}; a proof is
 * the wallet's signature over it, checked by {@link SignatureCheck} (ecrecover, else ERC-1271 on
 * the challenge's chain). A proven link makes the wallet one of the tenant's {@code
 * api.owned_wallets}: only then does the tenant see its positions, orders and events, receive its
 * webhooks and cancel its orders. Thread-safe.
 */
public final class WalletLinks {
  /** How long a challenge can be answered. */
  public static final Duration CHALLENGE_TTL = Duration.ofMinutes(10);

  private final Jdbi jdbi;
  private final TenantReads reads;
  private final SignatureCheck signatures;
  private final Clock clock;

  /**
   * @param reads told of every link, which a customer's {@code wallet_proven} shows
   */
  public WalletLinks(Jdbi jdbi, SignatureCheck signatures, Clock clock, TenantReads reads) {
    this.reads = reads;
    this.jdbi = jdbi;
    this.signatures = signatures;
    this.clock = clock;
  }

  /** A challenge as issued: its id and the message to sign. */
  public record Challenge(String id, WalletLinkMessage message) {}

  /** A proven link. */
  public record Link(
      String wallet, Method method, long chainId, String challengeId, Instant provenAt) {}

  /** What {@link #prove} did: a new link, or a fresh proof of one that existed. */
  public record Proven(Link link, boolean created) {}

  /**
   * Issues a challenge for {@code wallet}.
   *
   * @param wallet lowercase 0x address
   * @param chainId the chain the EIP-712 domain names and an ERC-1271 wallet is asked on
   */
  public Challenge challenge(String tenantId, String wallet, long chainId) {
    Instant issued = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    byte[] nonce = Ids.randomBytes(32);
    var message =
        new WalletLinkMessage(
            chainId,
            tenantId,
            wallet,
            Numeric.toHexString(nonce),
            issued,
            issued.plus(CHALLENGE_TTL));
    String id = Ids.next("wch_");
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            INSERT INTO api.wallet_challenges (id, tenant_id, wallet, chain_id, nonce, issued_at, expires_at)
            VALUES (:id, :t, :w, :c, :n, :at, :exp)""")
                .bind("id", id)
                .bind("t", tenantId)
                .bind("w", wallet)
                .bind("c", chainId)
                .bind("n", message.nonce())
                .bind("at", Timestamp.from(issued))
                .bind("exp", Timestamp.from(message.expiresAt()))
                .execute());
    return new Challenge(id, message);
  }

  private record Stored(WalletLinkMessage message, Optional<Instant> usedAt) {}

  /**
   * Checks {@code signature} against the tenant's challenge {@code challengeId} and links the
   * wallet. A wrong signature leaves the challenge open (until it expires) so the holder can sign
   * again; a right one uses it up and records the link in the same transaction.
   *
   * @throws ApiException {@code wallet_challenge_not_found} (no such challenge for this tenant),
   *     {@code wallet_challenge_expired}, {@code wallet_challenge_used}, {@code
   *     wallet_signature_invalid}, {@code service_unavailable} (an ERC-1271 wallet's chain did not
   *     answer)
   */
  public Proven prove(String tenantId, String challengeId, byte[] signature) {
    Stored c =
        jdbi.withHandle(
                h ->
                    h.createQuery(
                            """
            SELECT chain_id, wallet, nonce, issued_at, expires_at, used_at FROM api.wallet_challenges
            WHERE id = :id AND tenant_id = :t""")
                        .bind("id", challengeId)
                        .bind("t", tenantId)
                        .map(
                            (rs, ctx) ->
                                new Stored(
                                    new WalletLinkMessage(
                                        rs.getLong("chain_id"),
                                        tenantId,
                                        rs.getString("wallet"),
                                        rs.getString("nonce"),
                                        rs.getTimestamp("issued_at").toInstant(),
                                        rs.getTimestamp("expires_at").toInstant()),
                                    Optional.ofNullable(rs.getTimestamp("used_at"))
                                        .map(Timestamp::toInstant)))
                        .findOne())
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.WALLET_CHALLENGE_NOT_FOUND,
                        "No wallet challenge '" + challengeId + "'",
                        Map.of("challenge_id", challengeId)));
    WalletLinkMessage m = c.message();
    if (c.usedAt().isPresent()) {
      throw used(challengeId);
    }
    Instant now = clock.instant();
    if (!now.isBefore(m.expiresAt())) {
      throw new ApiException(
          ErrorCode.WALLET_CHALLENGE_EXPIRED,
          "The challenge expired at " + m.expiresAt() + "; ask for a new one",
          Map.of("challenge_id", challengeId, "expired_at", m.expiresAt().toString()));
    }
    Method method;
    try {
      method =
          signatures
              .check(m.chainId(), m.wallet(), m.digest(), signature)
              .orElseThrow(
                  () ->
                      new ApiException(
                          ErrorCode.WALLET_SIGNATURE_INVALID,
                          "The signature is not "
                              + m.wallet()
                              + "'s over the challenge's EIP-712 message (neither ecrecover nor"
                              + " ERC-1271 isValidSignature on chain "
                              + m.chainId()
                              + " accepts it)",
                          Map.of("challenge_id", challengeId, "wallet", m.wallet())));
    } catch (SignatureCheck.ChainUnavailable e) {
      throw new ApiException(
          ErrorCode.SERVICE_UNAVAILABLE,
          "Could not ask the wallet's contract on chain " + m.chainId() + "; retry");
    }
    Timestamp at = Timestamp.from(now);
    try {
      return jdbi.inTransaction(
          h -> {
            int consumed =
                h.createUpdate(
                        "UPDATE api.wallet_challenges SET used_at = :at WHERE id = :id AND used_at IS NULL")
                    .bind("at", at)
                    .bind("id", challengeId)
                    .execute();
            if (consumed != 1) {
              throw used(challengeId); // answered at the same moment by another request
            }
            boolean created =
                h.createQuery(
                        """
              INSERT INTO api.wallet_links (tenant_id, wallet, method, chain_id, challenge_id, signature, proven_at)
              VALUES (:t, :w, :m, :c, :ch, :sig, :at)
              ON CONFLICT (tenant_id, wallet) DO UPDATE SET method = excluded.method,
                chain_id = excluded.chain_id, challenge_id = excluded.challenge_id,
                signature = excluded.signature, proven_at = excluded.proven_at
              RETURNING (xmax = 0)""")
                    .bind("t", tenantId)
                    .bind("w", m.wallet())
                    .bind("m", method.dbValue())
                    .bind("c", m.chainId())
                    .bind("ch", challengeId)
                    .bind("sig", Numeric.toHexString(signature))
                    .bind("at", at)
                    .mapTo(Boolean.class)
                    .one();
            return new Proven(new Link(m.wallet(), method, m.chainId(), challengeId, now), created);
          });
    } finally {
      reads.changed(tenantId); // its customers' wallet_proven
    }
  }

  private static ApiException used(String challengeId) {
    return new ApiException(
        ErrorCode.WALLET_CHALLENGE_USED,
        "The challenge was already answered; ask for a new one",
        Map.of("challenge_id", challengeId));
  }

  /** Drops challenges nobody answered, a day after they expired (answered ones back a link). */
  public void purgeExpired() {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "DELETE FROM api.wallet_challenges WHERE used_at IS NULL AND expires_at < :before")
                .bind("before", Timestamp.from(clock.instant().minus(Duration.ofDays(1))))
                .execute());
  }

  /** The tenant's proven wallets, in address order. */
  public List<Link> links(String tenantId) {
    return query(tenantId, Optional.empty());
  }

  /** The tenant's link to {@code wallet} (lowercase), if proven. */
  public Optional<Link> link(String tenantId, String wallet) {
    return query(tenantId, Optional.of(wallet)).stream().findFirst();
  }

  private List<Link> query(String tenantId, Optional<String> wallet) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT wallet, method, chain_id, challenge_id, proven_at FROM api.wallet_links
            WHERE tenant_id = :t AND (CAST(:w AS text) IS NULL OR wallet = :w) ORDER BY wallet""")
                .bind("t", tenantId)
                .bind("w", wallet.orElse(null))
                .map(
                    (rs, ctx) ->
                        new Link(
                            rs.getString("wallet"),
                            Method.fromDb(rs.getString("method")),
                            rs.getLong("chain_id"),
                            rs.getString("challenge_id"),
                            rs.getTimestamp("proven_at").toInstant()))
                .list());
  }
}
