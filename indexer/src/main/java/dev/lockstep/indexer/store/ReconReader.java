package dev.lockstep.indexer.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The indexed state the daily reconciliation compares: asset supply at a block (from the indexed
 * mints and burns), the sum of indexed balances, orders open at an instant, and what each order
 * book holds for its open orders.
 */
public final class ReconReader {
  private static final String ZERO = "0x" + "0".repeat(40);
  private final Jdbi jdbi;
  private final IndexReader index;

  ReconReader(Jdbi jdbi, IndexReader index) {
    this.jdbi = jdbi;
    this.index = index;
  }

  /**
   * Each asset token's supply at block {@code block} on {@code chainId} (indexed mints less burns
   * up to it), base units, by token address; tokens deployed by then with no supply are 0.
   */
  public Map<String, BigInteger> supplyAt(long chainId, long block) {
    Map<String, BigInteger> out = new TreeMap<>();
    jdbi.useHandle(
        h -> {
          h.createQuery(
                  "SELECT address FROM indexer.tokens WHERE chain_id = :c AND kind = 'asset' AND first_block <= :b")
              .bind("c", chainId)
              .bind("b", block)
              .mapTo(String.class)
              .forEach(t -> out.put(t, BigInteger.ZERO));
          h.createQuery(
                  """
                  SELECT t.token, sum(CASE WHEN t.from_address = :z THEN t.amount ELSE -t.amount END)
                  FROM indexer.transfers t
                  JOIN indexer.tokens k ON k.chain_id = t.chain_id AND k.address = t.token AND k.kind = 'asset'
                  WHERE t.chain_id = :c AND t.block_number <= :b AND (t.from_address = :z OR t.to_address = :z)
                  GROUP BY 1""")
              .bind("c", chainId)
              .bind("b", block)
              .bind("z", ZERO)
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue().toBigIntegerExact()));
        });
    return out;
  }

  /**
   * A token's indexed supply (as the index keeps it now) and the sum of its indexed balances.
   *
   * @param symbol the token's symbol
   */
  public record SupplyCheck(
      String token, String symbol, BigInteger indexedSupply, BigInteger balancesSum) {}

  /** {@link SupplyCheck} of every asset token on {@code chainId}. */
  public List<SupplyCheck> supplyChecks(long chainId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT k.address, k.symbol, k.total_supply,
                      coalesce((SELECT sum(b.amount) FROM indexer.balances b
                                WHERE b.chain_id = k.chain_id AND b.token = k.address), 0)
                    FROM indexer.tokens k WHERE k.chain_id = :c AND k.kind = 'asset' ORDER BY 2""")
                .bind("c", chainId)
                .map(
                    (rs, ctx) ->
                        new SupplyCheck(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getBigDecimal(3).toBigIntegerExact(),
                            rs.getBigDecimal(4).toBigIntegerExact()))
                .list());
  }

  /** Orders of {@code chainId} created at or before {@code at} and not closed by then. */
  public List<OrderRow> ordersOpenAt(long chainId, Instant at) {
    return index.ordersWhere(
        "o.chain_id = :c AND o.created_at <= :t AND (o.closed_at IS NULL OR o.closed_at > :t)",
        Map.of("c", chainId, "t", Timestamp.from(at)));
  }

  /**
   * What an order book holds for its open orders, from the index: per asset token the quantity its
   * open redeems lock (an OCO pair once), and the book's indexed balance of that token.
   */
  public record BookLock(String token, String symbol, BigInteger locked, BigInteger balance) {}

  /** {@link BookLock} of every asset token {@code orderBook} holds or locks on {@code chainId}. */
  public List<BookLock> bookLocks(long chainId, String orderBook) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT k.address, k.symbol,
                      coalesce((SELECT sum(o.quantity) FROM indexer.orders o
                                WHERE o.chain_id = k.chain_id AND o.token = k.address AND o.side = 'redeem'
                                  AND o.status IN ('armed', 'queued', 'active')
                                  AND (o.oco_peer IS NULL OR o.oco_peer > o.order_id)), 0),
                      coalesce((SELECT b.amount FROM indexer.balances b
                                WHERE b.chain_id = k.chain_id AND b.token = k.address AND b.holder = :book), 0)
                    FROM indexer.tokens k WHERE k.chain_id = :c AND k.kind = 'asset' ORDER BY 2""")
                .bind("c", chainId)
                .bind("book", orderBook.toLowerCase())
                .map(
                    (rs, ctx) ->
                        new BookLock(
                            rs.getString(1),
                            rs.getString(2),
                            big(rs.getBigDecimal(3)),
                            big(rs.getBigDecimal(4))))
                .list());
  }

  /**
   * What the ledger says a book reserves in {@code currency} on {@code chainId}: the open orders'
   * stablecoin locks and gas deposits (their {@code order} accounts) plus the developer-fee escrow
   * ({@code developer_fees} accounts), base units: what {@code OrderBook.reservedOf} must equal.
   */
  public BigInteger reservedByLedger(long chainId, String currency) {
    return jdbi.withHandle(
        h ->
            big(
                h.createQuery(
                        """
                        SELECT coalesce(sum(CASE WHEN credit_account LIKE a.p THEN amount ELSE 0 END)
                          - sum(CASE WHEN debit_account LIKE a.p THEN amount ELSE 0 END), 0)
                        FROM indexer.ledger_entries e,
                          (VALUES ('order:' || :c || ':%'), ('developer_fees:' || :c || ':%')) a(p)
                        WHERE e.chain_id = :c AND e.currency = :cur
                          AND (e.credit_account LIKE a.p OR e.debit_account LIKE a.p)""")
                    .bind("c", chainId)
                    .bind("cur", currency.toLowerCase())
                    .mapTo(BigDecimal.class)
                    .one()));
  }

  private static BigInteger big(BigDecimal d) {
    return d == null ? BigInteger.ZERO : d.toBigIntegerExact();
  }
}
