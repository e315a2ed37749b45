package dev.lockstep.keeper.tx;

import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.Columns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Table {@code keeper.tx_intents}: the engine's durable outbox of calls. Every state change is one
 * statement, guarded by the status it expects, so a stale daemon's write changes nothing.
 * Thread-safe.
 */
public final class IntentStore {
  static final String COLUMNS =
      """
      id, idempotency_key, chain_id, signer, target, call_data, action, order_id, generation, status, nonce,
      gas_limit, replacements, replace_after, mined_tx_hash, mined_block, mined_block_hash, outcome,
      revert_error, created_at, submitted_at""";

  private static final String INSERT =
      """
      INSERT INTO keeper.tx_intents (idempotency_key, chain_id, signer, target, call_data, action, order_id,
        generation, status, created_at, updated_at)
      VALUES (:k, :c, :s, :t, :d, :a, :o, :g, 'queued', :now, :now)
      ON CONFLICT (idempotency_key) DO NOTHING""";

  private final Jdbi jdbi;

  public IntentStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  static Intent map(ResultSet rs) throws SQLException {
    return new Intent(
        rs.getLong("id"),
        rs.getString("idempotency_key"),
        rs.getLong("chain_id"),
        rs.getString("signer"),
        rs.getString("target"),
        rs.getString("call_data"),
        StoredEnum.fromDb(TxAction.class, rs.getString("action")),
        optionalLong(rs, "order_id"),
        rs.getInt("generation"),
        StoredEnum.fromDb(IntentStatus.class, rs.getString("status")),
        optionalLong(rs, "nonce"),
        optionalLong(rs, "gas_limit"),
        rs.getInt("replacements"),
        Columns.instant(rs, "replace_after"),
        Optional.ofNullable(rs.getString("mined_tx_hash")),
        optionalLong(rs, "mined_block"),
        Optional.ofNullable(rs.getString("mined_block_hash")),
        Optional.ofNullable(rs.getString("outcome")),
        Optional.ofNullable(rs.getString("revert_error")),
        rs.getTimestamp("created_at").toInstant(),
        Columns.instant(rs, "submitted_at"));
  }

  private static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /**
   * Enqueues one call unless an intent with {@code key} exists.
   *
   * @param orderId the order it serves, empty for a gap fill
   * @return the intent with that key (the new one, or the earlier one untouched)
   */
  public Intent enqueue(
      String key,
      long chainId,
      String signer,
      String target,
      String callData,
      TxAction action,
      OptionalLong orderId,
      int generation,
      Instant now) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate(INSERT)
              .bind("k", key)
              .bind("c", chainId)
              .bind("s", signer)
              .bind("t", target.toLowerCase())
              .bind("d", callData)
              .bind("a", action.dbValue())
              .bind("o", orderId.isPresent() ? orderId.getAsLong() : null)
              .bind("g", generation)
              .bind("now", Timestamp.from(now))
              .execute();
          return byKey(h, key).orElseThrow();
        });
  }

  /** Enqueues many order calls in one statement batch; keys already present are left untouched. */
  public void enqueueAll(long chainId, String signer, List<NewIntent> all, Instant now) {
    if (all.isEmpty()) {
      return;
    }
    jdbi.useTransaction(
        h -> {
          var batch = h.prepareBatch(INSERT);
          for (NewIntent i : all) {
            batch
                .bind("k", i.key())
                .bind("c", chainId)
                .bind("s", signer)
                .bind("t", i.target().toLowerCase())
                .bind("d", i.callData())
                .bind("a", i.action().dbValue())
                .bind("o", i.orderId())
                .bind("g", i.generation())
                .bind("now", Timestamp.from(now))
                .add();
          }
          batch.execute();
        });
  }

  /** The intent with {@code key}. */
  public Optional<Intent> byKey(String key) {
    return jdbi.withHandle(h -> byKey(h, key));
  }

  private static Optional<Intent> byKey(Handle h, String key) {
    return h.createQuery("SELECT " + COLUMNS + " FROM keeper.tx_intents WHERE idempotency_key = :k")
        .bind("k", key)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** The newest intent for {@code action} of each of {@code orderIds} that has one, by order id. */
  public Map<Long, Intent> latest(long chainId, TxAction action, Collection<Long> orderIds) {
    Map<Long, Intent> out = new HashMap<>();
    if (orderIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT ON (order_id) "
                        + COLUMNS
                        + " FROM keeper.tx_intents WHERE chain_id = :c AND action = :a"
                        + " AND order_id = ANY(:ids) ORDER BY order_id, id DESC")
                .bind("c", chainId)
                .bind("a", action.dbValue())
                .bindArray("ids", Long.class, List.copyOf(orderIds))
                .map((rs, ctx) -> map(rs))
                .forEach(i -> out.put(i.orderId().getAsLong(), i)));
    return out;
  }

  /** Intents of a signer in {@code status}, oldest first (by nonce once assigned). */
  public List<Intent> inStatus(long chainId, String signer, IntentStatus status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s AND status = :st"
                        + " ORDER BY nonce NULLS LAST, id LIMIT "
                        + limit)
                .bind("c", chainId)
                .bind("s", signer)
                .bind("st", status.dbValue())
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /** Number of intents of a signer broadcast and not yet mined. */
  public int inFlight(long chainId, String signer) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s AND status = 'submitted'")
                .bind("c", chainId)
                .bind("s", signer)
                .mapTo(Integer.class)
                .one());
  }

  /** Creation time of the oldest open intent of a signer. */
  public Optional<Instant> oldestOpen(long chainId, String signer) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT min(created_at) FROM keeper.tx_intents
                    WHERE chain_id = :c AND signer = :s AND status IN ('queued', 'submitted', 'mined')""")
                .bind("c", chainId)
                .bind("s", signer)
                .mapTo(Timestamp.class)
                .findOne()
                .map(Timestamp::toInstant));
  }

  /** Nonces in {@code [from, to)} held by intents that are submitted, mined or closed on chain. */
  public List<Long> noncesInUse(long chainId, String signer, long from, long to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT nonce FROM keeper.tx_intents
                    WHERE chain_id = :c AND signer = :s AND nonce >= :f AND nonce < :t
                      AND status IN ('submitted', 'mined', 'confirmed', 'reverted')""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("f", from)
                .bind("t", to)
                .mapTo(Long.class)
                .list());
  }

  /** Moves the intent's replacement deadline (no new transaction). */
  public void replaceAt(long intentId, Instant replaceAfter) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE keeper.tx_intents SET replace_after = :ra WHERE id = :id")
                .bind("ra", Timestamp.from(replaceAfter))
                .bind("id", intentId)
                .execute());
  }

  /** One of the intent's transactions is in block {@code block}. */
  public void mined(long intentId, String txHash, long block, String blockHash, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE keeper.tx_intents SET status = 'mined', mined_tx_hash = :tx, mined_block = :b,
                      mined_block_hash = :bh, mined_at = :now, updated_at = :now
                    WHERE id = :id AND status IN ('submitted', 'mined')""")
                .bind("tx", txHash)
                .bind("b", block)
                .bind("bh", blockHash)
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /**
   * The block holding the intent's transaction was reorged out: back to submitted, to be broadcast
   * again.
   */
  public void unmined(long intentId, Instant replaceAfter, Instant now) {
    backToSubmitted(intentId, replaceAfter, now, "'mined'");
  }

  /**
   * Intents of a signer closed on chain ({@code confirmed}; {@code reverted} or {@code failed}
   * after a transaction of theirs was mined, a revert or a voiding no-op) whose block is above
   * {@code finalizedBlock}: a reorg can still remove them. Nonce order.
   */
  public List<Intent> notYetFinal(long chainId, String signer, long finalizedBlock, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s"
                        + " AND status IN ('confirmed', 'reverted', 'failed') AND mined_block > :f"
                        + " ORDER BY nonce LIMIT "
                        + limit)
                .bind("c", chainId)
                .bind("s", signer)
                .bind("f", finalizedBlock)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /**
   * Whether the signer has anything for the engine to do or watch: an open intent, or a closed one
   * mined above {@code finalizedBlock} (still watched until final). One indexed lookup.
   */
  public boolean hasWork(long chainId, String signer, long finalizedBlock) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                SELECT EXISTS (SELECT 1 FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s
                    AND status IN ('queued', 'submitted', 'mined'))
                  OR EXISTS (SELECT 1 FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s
                    AND mined_block > :f)""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("f", finalizedBlock)
                .mapTo(Boolean.class)
                .one());
  }

  /** A closed intent's transaction is in another block now (mined again after a reorg). */
  public void remined(long intentId, long block, String blockHash, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE keeper.tx_intents SET mined_block = :b, mined_block_hash = :bh, updated_at = :now
                    WHERE id = :id""")
                .bind("b", block)
                .bind("bh", blockHash)
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /**
   * A closed intent whose transaction a reorg removed from the canonical chain is open again: back
   * to {@code submitted}, its outcome cleared, to be broadcast again (same bytes).
   *
   * @return whether it was reopened (false if it was no longer closed)
   */
  public boolean reopen(long intentId, Instant replaceAfter, Instant now) {
    return backToSubmitted(intentId, replaceAfter, now, "'confirmed', 'reverted', 'failed'") == 1;
  }

  /**
   * An intent in one of {@code fromStatuses} (SQL literals) back to {@code submitted}: its mined
   * block and outcome cleared, to be broadcast again (same bytes) after {@code replaceAfter}.
   */
  private int backToSubmitted(
      long intentId, Instant replaceAfter, Instant now, String fromStatuses) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE keeper.tx_intents SET status = 'submitted', mined_block = NULL,
                      mined_block_hash = NULL, mined_at = NULL, outcome = NULL, revert_error = NULL,
                      replace_after = :ra, updated_at = :now
                    WHERE id = :id AND status IN ("""
                        + fromStatuses
                        + ")")
                .bind("ra", Timestamp.from(replaceAfter))
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /**
   * Closes an open intent with what happened.
   *
   * @param status a closing status
   * @param revertError the Solidity name of the decoded custom error, for a revert
   * @throws IllegalArgumentException if {@code status} is open
   */
  public void close(
      long intentId,
      IntentStatus status,
      String outcome,
      Optional<String> revertError,
      Instant now) {
    if (status.isOpen()) {
      throw new IllegalArgumentException(status + " is not a closing status");
    }
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    UPDATE keeper.tx_intents SET status = :st, outcome = :o, revert_error = :e, updated_at = :now
                    WHERE id = :id AND status IN ('queued', 'submitted', 'mined')""")
                .bind("st", status.dbValue())
                .bind("o", outcome)
                .bind("e", revertError.orElse(null))
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /** The intent {@code id}. */
  public Intent get(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM keeper.tx_intents WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .one());
  }
}
