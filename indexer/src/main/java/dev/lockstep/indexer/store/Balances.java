package dev.lockstep.indexer.store;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.rpc.RpcErrorKind;
import dev.lockstep.indexer.rpc.RpcException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The one place balances change: summed deltas applied in one statement, zero rows removed,
 * negatives refused.
 */
final class Balances {
  private Balances() {}

  /**
   * Adds {@code deltas[i]} to the balance of {@code holders[i]} in {@code tokens[i]}.
   *
   * @throws IndexerException (retryable, caused by an {@link RpcErrorKind#INCONSISTENT} answer) if
   *     a balance would go negative: the logs were incomplete, the enclosing transaction must roll
   *     back and the range be fetched again
   */
  static void add(
      Handle h, long chainId, List<String> tokens, List<String> holders, List<BigDecimal> deltas) {
    if (tokens.isEmpty()) {
      return;
    }
    List<String> negative = new ArrayList<>();
    List<String> zeroTokens = new ArrayList<>();
    List<String> zeroHolders = new ArrayList<>();
    // Only the rows that reached zero or below come back: a batch touches thousands of holders.
    h.createQuery(
            """
            WITH applied AS (
              INSERT INTO indexer.balances (chain_id, token, holder, amount)
              SELECT :c, t, hd, a FROM unnest(:tokens, :holders, :amounts) AS d(t, hd, a)
              ON CONFLICT (chain_id, token, holder) DO UPDATE SET amount = indexer.balances.amount + excluded.amount
              RETURNING token, holder, amount)
            SELECT token, holder, amount FROM applied WHERE amount <= 0""")
        .registerArrayType(BigDecimal.class, "numeric")
        .bind("c", chainId)
        .bindArray("tokens", String.class, tokens)
        .bindArray("holders", String.class, holders)
        .bindArray("amounts", BigDecimal.class, deltas)
        .map(
            (rs, ctx) -> {
              int sign = rs.getBigDecimal(3).signum();
              if (sign < 0) {
                negative.add(rs.getString(2) + " of " + rs.getString(1));
              } else if (sign == 0) {
                zeroTokens.add(rs.getString(1));
                zeroHolders.add(rs.getString(2));
              }
              return sign;
            })
        .list();
    if (!negative.isEmpty()) {
      String message =
          "negative balances on chain "
              + chainId
              + " "
              + negative
              + ": the node's logs are incomplete (the batch is abandoned and fetched again)";
      throw new IndexerException(
          message, true, new RpcException(RpcErrorKind.INCONSISTENT, message));
    }
    if (!zeroTokens.isEmpty()) {
      h.createUpdate(
              """
              DELETE FROM indexer.balances b USING unnest(:tokens, :holders) AS z(t, hd)
              WHERE b.chain_id = :c AND b.token = z.t AND b.holder = z.hd AND b.amount = 0""")
          .bind("c", chainId)
          .bindArray("tokens", String.class, zeroTokens)
          .bindArray("holders", String.class, zeroHolders)
          .execute();
    }
  }
}
