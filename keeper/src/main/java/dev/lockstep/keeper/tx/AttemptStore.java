package dev.lockstep.keeper.tx;

import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.Columns;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Table {@code keeper.tx_attempts}: every signed transaction of every intent, recorded before it is
 * broadcast, with the node's answer to its latest broadcast. Thread-safe.
 */
public final class AttemptStore {
  private static final String SELECT =
      """
      SELECT tx_hash, intent_id, kind, raw_tx, max_fee_per_gas, max_priority_fee_per_gas, created_at, broadcast_at
      FROM keeper.tx_attempts""";

  private final Jdbi jdbi;

  public AttemptStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Every attempt of each of {@code intentIds}, oldest first, by intent id. */
  public Map<Long, List<Attempt>> attemptsOf(Collection<Long> intentIds) {
    Map<Long, List<Attempt>> out = new HashMap<>();
    if (intentIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    SELECT + " WHERE intent_id = ANY(:ids) ORDER BY intent_id, created_at, tx_hash")
                .bindArray("ids", Long.class, List.copyOf(intentIds))
                .map((rs, ctx) -> map(rs))
                .forEach(a -> out.computeIfAbsent(a.intentId(), k -> new ArrayList<>()).add(a)));
    return out;
  }

  /** Every attempt of an intent, oldest first. */
  public List<Attempt> attempts(long intentId) {
    return attemptsOf(List.of(intentId)).getOrDefault(intentId, List.of());
  }

  /** Notes a broadcast of {@code txHash} and the node's answer. */
  public void broadcast(String txHash, String answer, Instant at) {
    broadcastAll(Map.of(txHash, answer), at);
  }

  /** Notes many broadcasts and the node's answers ({@code hash -> answer}). */
  public void broadcastAll(Map<String, String> answers, Instant at) {
    if (answers.isEmpty()) {
      return;
    }
    jdbi.useHandle(
        h -> {
          var batch =
              h.prepareBatch(
                  "UPDATE keeper.tx_attempts SET broadcast_at = :at, node_answer = :a WHERE tx_hash = :hash");
          answers.forEach(
              (hash, answer) ->
                  batch.bind("at", Timestamp.from(at)).bind("a", answer).bind("hash", hash).add());
          batch.execute();
        });
  }

  /** Records a replacement (or the final no-op) of a submitted intent before it is broadcast. */
  public void addReplacement(Attempt a, Instant replaceAfter) {
    jdbi.useTransaction(
        h -> {
          insert(h, a);
          h.createUpdate(
                  """
                  UPDATE keeper.tx_intents SET replacements = replacements + 1, replace_after = :ra,
                    updated_at = :now
                  WHERE id = :id""")
              .bind("ra", Timestamp.from(replaceAfter))
              .bind("now", Timestamp.from(a.createdAt()))
              .bind("id", a.intentId())
              .execute();
        });
  }

  /** Inserts {@code a} in the caller's transaction. */
  static void insert(Handle h, Attempt a) {
    h.createUpdate(
            """
            INSERT INTO keeper.tx_attempts (tx_hash, intent_id, kind, raw_tx, max_fee_per_gas, max_priority_fee_per_gas,
              created_at)
            VALUES (:hash, :id, :k, :raw, :mf, :mp, :at)""")
        .bind("hash", a.txHash())
        .bind("id", a.intentId())
        .bind("k", a.kind().dbValue())
        .bind("raw", a.rawTx())
        .bind("mf", new BigDecimal(a.fees().maxFeePerGas()))
        .bind("mp", new BigDecimal(a.fees().maxPriorityFeePerGas()))
        .bind("at", Timestamp.from(a.createdAt()))
        .execute();
  }

  private static Attempt map(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getString(1),
        rs.getLong(2),
        StoredEnum.fromDb(AttemptKind.class, rs.getString(3)),
        rs.getString(4),
        new Fees(rs.getBigDecimal(5).toBigIntegerExact(), rs.getBigDecimal(6).toBigIntegerExact()),
        rs.getTimestamp(7).toInstant(),
        Columns.instant(rs, "broadcast_at"));
  }
}
