package dev.lockstep.keeper.tx;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Table {@code keeper.actions}: one row per (chain, order, action) the keeper takes. {@link #claim}
 * is the guard that keeps two runs (or two daemons) from sending the same action: only one caller
 * wins the row. A claim left {@code sending} by a crashed run, or a {@code failed} one, can be
 * claimed again after {@code reclaimAfter}; the on-chain status check that follows every claim
 * (and the contract's own terminal-state checks) keep a retry from paying twice.
 */
public final class ActionLog {
  private final Jdbi jdbi;
  private final Duration reclaimAfter;

  public ActionLog(Jdbi jdbi, Duration reclaimAfter) {
    this.jdbi = jdbi;
    this.reclaimAfter = reclaimAfter;
  }

  /** Claims the action; true if this caller may go ahead. */
  public boolean claim(long chainId, long orderId, String action, Instant now) {
    return jdbi.withHandle(h -> h.createQuery("""
            INSERT INTO keeper.actions (chain_id, order_id, action, status, created_at, updated_at)
            VALUES (:c, :id, :a, 'sending', :now, :now)
            ON CONFLICT (chain_id, order_id, action) DO UPDATE SET status = 'sending', updated_at = :now
              WHERE keeper.actions.status IN ('sending', 'failed') AND keeper.actions.updated_at < :stale
            RETURNING 1""")
        .bind("c", chainId).bind("id", orderId).bind("a", action).bind("now", Timestamp.from(now))
        .bind("stale", Timestamp.from(now.minus(reclaimAfter)))
        .mapTo(Integer.class).findOne().isPresent());
  }

  /** Records the result of a claimed action: {@code confirmed}, {@code reverted}, {@code done_by_other} or {@code failed}. */
  public void record(long chainId, long orderId, String action, String status, Optional<String> txHash, String detail,
      Instant now) {
    jdbi.useHandle(h -> h.createUpdate("""
            UPDATE keeper.actions SET status = :s, tx_hash = COALESCE(:tx, tx_hash), detail = :d, updated_at = :now
            WHERE chain_id = :c AND order_id = :id AND action = :a""")
        .bind("s", status).bind("tx", txHash.orElse(null)).bind("d", detail).bind("now", Timestamp.from(now))
        .bind("c", chainId).bind("id", orderId).bind("a", action).execute());
  }
}
