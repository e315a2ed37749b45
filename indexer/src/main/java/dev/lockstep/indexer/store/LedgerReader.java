package dev.lockstep.indexer.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the double-entry ledger ({@code indexer.ledger_entries}, booked by {@link LedgerPosting}).
 * Every read is scoped by a predicate over the entry's {@code wallet} (the owner of the order it
 * comes from, or a fee sweep's recipient), so a tenant reads only its own wallets' entries.
 */
public final class LedgerReader {
  private final Jdbi jdbi;

  LedgerReader(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * One ledger entry: {@code amount} base units of {@code currency} moved from {@code debitAccount}
   * to {@code creditAccount}.
   *
   * @param seq the entry's place in the ledger (cursor order)
   * @param currencySymbol the token's symbol, when indexed
   * @param decimals the token's decimals (6 when unknown)
   * @param orderSide the side of the order it comes from ({@code redeem} or {@code mint})
   * @param reverses the entry a reorg undid, for a reversing entry
   */
  public record Entry(
      long seq,
      String id,
      long chainId,
      long blockNumber,
      int logIndex,
      String txHash,
      Instant at,
      String kind,
      String debitAccount,
      String creditAccount,
      BigInteger amount,
      String currency,
      Optional<String> currencySymbol,
      int decimals,
      Optional<Long> orderId,
      Optional<String> orderSide,
      Optional<String> reverses) {}

  /**
   * What {@link #entries} selects: any of an account (as debit or credit), an order of a chain, a
   * transaction, a time range {@code [from, to)}.
   */
  public record Filter(
      Optional<String> account,
      Optional<long[]> order,
      Optional<String> txHash,
      Optional<Instant> from,
      Optional<Instant> to) {}

  /**
   * Entries whose wallet satisfies {@code walletPredicate} (SQL over {@code e.wallet} with the
   * named parameters {@code binds}) and {@code filter}, newest first, at most {@code limit}; after
   * ({@code newer} false: older than) or before ({@code newer}: newer than) the entry of seq {@code
   * cursor}. Pages going newer are returned newest first too.
   */
  public List<Entry> entries(
      String walletPredicate,
      Map<String, ?> binds,
      Filter filter,
      Optional<Long> cursor,
      boolean newer,
      int limit) {
    StringBuilder where = new StringBuilder(" WHERE (" + walletPredicate + ")");
    filter
        .account()
        .ifPresent(a -> where.append(" AND (e.debit_account = :acct OR e.credit_account = :acct)"));
    filter.order().ifPresent(o -> where.append(" AND e.chain_id = :oc AND e.order_id = :oid"));
    filter.txHash().ifPresent(t -> where.append(" AND e.tx_hash = :tx"));
    filter.from().ifPresent(f -> where.append(" AND e.at >= :from"));
    filter.to().ifPresent(t -> where.append(" AND e.at < :to"));
    cursor.ifPresent(c -> where.append(newer ? " AND e.seq > :cursor" : " AND e.seq < :cursor"));
    List<Entry> rows =
        jdbi.withHandle(
            h -> {
              var q =
                  h.createQuery(
                      """
                      SELECT e.*, t.symbol, coalesce(t.decimals, 6) AS decimals, o.side
                      FROM indexer.ledger_entries e
                      LEFT JOIN indexer.tokens t ON t.chain_id = e.chain_id AND t.address = e.currency
                      LEFT JOIN indexer.orders o ON o.chain_id = e.chain_id AND o.order_id = e.order_id"""
                          + where
                          + (newer ? " ORDER BY e.seq ASC" : " ORDER BY e.seq DESC")
                          + " LIMIT "
                          + limit);
              binds.forEach(q::bind);
              filter.account().ifPresent(a -> q.bind("acct", a));
              filter.order().ifPresent(o -> q.bind("oc", o[0]).bind("oid", o[1]));
              filter.txHash().ifPresent(t -> q.bind("tx", t.toLowerCase()));
              filter.from().ifPresent(f -> q.bind("from", java.sql.Timestamp.from(f)));
              filter.to().ifPresent(t -> q.bind("to", java.sql.Timestamp.from(t)));
              cursor.ifPresent(c -> q.bind("cursor", c));
              return new ArrayList<>(
                  q.map(
                          (rs, ctx) -> {
                            long order = rs.getLong("order_id");
                            boolean hasOrder = !rs.wasNull();
                            return new Entry(
                                rs.getLong("seq"),
                                rs.getString("entry_id"),
                                rs.getLong("chain_id"),
                                rs.getLong("block_number"),
                                rs.getInt("log_index"),
                                rs.getString("tx_hash"),
                                rs.getTimestamp("at").toInstant(),
                                rs.getString("kind"),
                                rs.getString("debit_account"),
                                rs.getString("credit_account"),
                                rs.getBigDecimal("amount").toBigIntegerExact(),
                                rs.getString("currency"),
                                Optional.ofNullable(rs.getString("symbol")),
                                rs.getInt("decimals"),
                                hasOrder ? Optional.of(order) : Optional.empty(),
                                Optional.ofNullable(rs.getString("side")),
                                Optional.ofNullable(rs.getString("reverses")));
                          })
                      .list());
            });
    if (newer) {
      Collections.reverse(rows);
    }
    return rows;
  }

  /** The seq of entry {@code id}, if it exists and its wallet satisfies the predicate. */
  public Optional<Long> seqOf(String id, String walletPredicate, Map<String, ?> binds) {
    return jdbi.withHandle(
        h -> {
          var q =
              h.createQuery(
                  "SELECT e.seq FROM indexer.ledger_entries e WHERE e.entry_id = :id AND ("
                      + walletPredicate
                      + ")");
          binds.forEach(q::bind);
          return q.bind("id", id).mapTo(Long.class).findOne();
        });
  }

  /**
   * An account's balance in one currency: what was credited to it and debited from it, base units.
   */
  public record Balance(
      String currency,
      Optional<String> currencySymbol,
      int decimals,
      BigInteger credits,
      BigInteger debits,
      long entries) {
    /** Credits less debits. */
    public BigInteger balance() {
      return credits.subtract(debits);
    }
  }

  /**
   * The balances of {@code account} per currency, over the entries whose wallet satisfies {@code
   * walletPredicate}; empty when it has none.
   */
  public List<Balance> balances(String account, String walletPredicate, Map<String, ?> binds) {
    return jdbi.withHandle(
        h -> {
          var q =
              h.createQuery(
                  """
                  SELECT e.chain_id, e.currency, max(t.symbol) AS symbol, coalesce(max(t.decimals), 6) AS decimals,
                    coalesce(sum(e.amount) FILTER (WHERE e.credit_account = :acct), 0) AS credits,
                    coalesce(sum(e.amount) FILTER (WHERE e.debit_account = :acct), 0) AS debits,
                    count(*) AS n
                  FROM indexer.ledger_entries e
                  LEFT JOIN indexer.tokens t ON t.chain_id = e.chain_id AND t.address = e.currency
                  WHERE (e.debit_account = :acct OR e.credit_account = :acct) AND ("""
                      + walletPredicate
                      + ") GROUP BY e.chain_id, e.currency ORDER BY 3, 2");
          binds.forEach(q::bind);
          return q.bind("acct", account)
              .map(
                  (rs, ctx) ->
                      new Balance(
                          rs.getString("currency"),
                          Optional.ofNullable(rs.getString("symbol")),
                          rs.getInt("decimals"),
                          big(rs.getBigDecimal("credits")),
                          big(rs.getBigDecimal("debits")),
                          rs.getLong("n")))
              .list();
        });
  }

  /**
   * A developer-fee recipient's balance in the book's escrow on a chain: its {@code developer_fees}
   * account, base units of {@code currency}.
   */
  public record Escrow(String recipient, String currency, BigInteger balance) {}

  /** The escrow balances above zero on {@code chainId} (every tenant's: the keeper's view). */
  public List<Escrow> escrows(long chainId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT split_part(a.account, ':', 3) AS recipient, a.currency, sum(a.delta) AS balance
                    FROM (SELECT credit_account AS account, currency, amount AS delta FROM indexer.ledger_entries
                            WHERE chain_id = :c AND credit_account LIKE 'developer_fees:%'
                          UNION ALL
                          SELECT debit_account, currency, -amount FROM indexer.ledger_entries
                            WHERE chain_id = :c AND debit_account LIKE 'developer_fees:%') a
                    GROUP BY 1, 2 HAVING sum(a.delta) > 0 ORDER BY 1, 2""")
                .bind("c", chainId)
                .map(
                    (rs, ctx) ->
                        new Escrow(
                            rs.getString("recipient"),
                            rs.getString("currency"),
                            big(rs.getBigDecimal("balance"))))
                .list());
  }

  private static BigInteger big(BigDecimal d) {
    return d.toBigIntegerExact();
  }
}
