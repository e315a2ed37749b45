package dev.lockstep.keeper.tx;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Table {@code keeper.nonce_leases}, the nonce authority: only the holder of the unexpired lease of
 * (chain, signer) assigns that signer's nonces, and it assigns a nonce only in the same database
 * transaction that records the signed transaction using it ({@code UNIQUE (chain_id, signer,
 * nonce)} of {@code keeper.tx_intents} backs it). Database time decides expiry, so daemons' clocks
 * need not agree. Thread-safe.
 */
public final class NonceLeases {
  private final Jdbi jdbi;

  public NonceLeases(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Signs an intent's first transaction once its nonce is known. */
  @FunctionalInterface
  public interface IntentSigner {
    Attempt sign(Intent intent, long nonce);
  }

  /** Signs a gap-filling no-op. */
  @FunctionalInterface
  public interface GapSigner {
    Attempt sign();
  }

  /**
   * Takes or renews the lease of (chain, signer) for {@code holder}: granted if the lease is free,
   * expired, or already {@code holder}'s.
   *
   * @param chainNonce the signer's transaction count on chain: the next nonce of a new lease, and a
   *     floor for an existing one (nonces used outside the engine are never reassigned)
   * @return the lease's next nonce if {@code holder} holds it now
   */
  public OptionalLong hold(
      long chainId, String signer, String holder, Duration ttl, long chainNonce) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    INSERT INTO keeper.nonce_leases AS l (chain_id, signer, holder, expires_at, next_nonce)
                    VALUES (:c, :s, :h, now() + :ttl * interval '1 millisecond', :n)
                    ON CONFLICT (chain_id, signer) DO UPDATE
                      SET holder = :h, expires_at = now() + :ttl * interval '1 millisecond',
                          next_nonce = greatest(l.next_nonce, :n)
                      WHERE l.holder = :h OR l.expires_at < now()
                    RETURNING next_nonce""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("h", holder)
                .bind("ttl", ttl.toMillis())
                .bind("n", chainNonce)
                .mapTo(Long.class)
                .findOne()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty()));
  }

  /** Releases the lease if {@code holder} holds it (a clean shutdown hands over at once). */
  public void release(long chainId, String signer, String holder) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE keeper.nonce_leases SET expires_at = now() - interval '1 second'
                    WHERE chain_id = :c AND signer = :s AND holder = :h""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("h", holder)
                .execute());
  }

  /**
   * Assigns the lease's next nonces to queued intents, in order, and records each one's first
   * signed transaction, all in one database transaction: a nonce is taken only while {@code holder}
   * still holds an unexpired lease, and every attempt exists before anything is broadcast.
   *
   * @param gasLimits gas limit of each intent, in the same order
   * @return the recorded attempts, in order; fewer than asked if the lease was lost (then none of
   *     the rest is taken) or an intent is no longer queued
   */
  public List<Attempt> assignNonces(
      List<Intent> intents,
      List<Long> gasLimits,
      String holder,
      Instant replaceAfter,
      IntentSigner signer) {
    return jdbi.inTransaction(
        h -> {
          List<Attempt> out = new ArrayList<>();
          for (int k = 0; k < intents.size(); k++) {
            Intent intent = intents.get(k);
            Optional<Long> nonce =
                h.createQuery(
                        """
                        UPDATE keeper.nonce_leases SET next_nonce = next_nonce + 1
                        WHERE chain_id = :c AND signer = :s AND holder = :h AND expires_at > now()
                        RETURNING next_nonce - 1""")
                    .bind("c", intent.chainId())
                    .bind("s", intent.signer())
                    .bind("h", holder)
                    .mapTo(Long.class)
                    .findOne();
            if (nonce.isEmpty()) {
              break;
            }
            Attempt a = signer.sign(intent, nonce.get());
            if (!submitted(h, intent, nonce.get(), gasLimits.get(k), replaceAfter, a)) {
              // Someone else took it since it was read: give the nonce back (still inside this
              // transaction).
              h.createUpdate(
                      "UPDATE keeper.nonce_leases SET next_nonce = next_nonce - 1 WHERE chain_id = :c AND signer = :s")
                  .bind("c", intent.chainId())
                  .bind("s", intent.signer())
                  .execute();
              continue;
            }
            out.add(a);
          }
          return out;
        });
  }

  /**
   * Gives a queued gap-filling no-op the specific nonce {@code nonce} and records its signed
   * transaction, in one transaction, if {@code holder} still holds the lease and no other intent
   * holds the nonce.
   */
  public Optional<Attempt> assignGapNonce(
      Intent intent,
      String holder,
      long nonce,
      long gasLimit,
      Instant replaceAfter,
      GapSigner signer) {
    return jdbi.inTransaction(
        h -> {
          boolean leased =
              h.createQuery(
                      """
                      SELECT 1 FROM keeper.nonce_leases
                      WHERE chain_id = :c AND signer = :s AND holder = :h AND expires_at > now() FOR UPDATE""")
                  .bind("c", intent.chainId())
                  .bind("s", intent.signer())
                  .bind("h", holder)
                  .mapTo(Integer.class)
                  .findOne()
                  .isPresent();
          boolean taken =
              h.createQuery(
                      "SELECT 1 FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s AND nonce = :n")
                  .bind("c", intent.chainId())
                  .bind("s", intent.signer())
                  .bind("n", nonce)
                  .mapTo(Integer.class)
                  .findOne()
                  .isPresent();
          if (!leased || taken) {
            return Optional.<Attempt>empty();
          }
          Attempt a = signer.sign();
          return submitted(h, intent, nonce, gasLimit, replaceAfter, a)
              ? Optional.of(a)
              : Optional.<Attempt>empty();
        });
  }

  /**
   * A queued intent gets its nonce and first attempt; false (nothing written) if it is no longer
   * queued.
   */
  private static boolean submitted(
      Handle h, Intent intent, long nonce, long gasLimit, Instant replaceAfter, Attempt a) {
    int updated =
        h.createUpdate(
                """
                UPDATE keeper.tx_intents SET status = 'submitted', nonce = :n, gas_limit = :g, submitted_at = :at,
                  replace_after = :ra, updated_at = :at
                WHERE id = :id AND status = 'queued'""")
            .bind("n", nonce)
            .bind("g", gasLimit)
            .bind("at", Timestamp.from(a.createdAt()))
            .bind("ra", Timestamp.from(replaceAfter))
            .bind("id", intent.id())
            .execute();
    if (updated == 1) {
      AttemptStore.insert(h, a);
    }
    return updated == 1;
  }
}
