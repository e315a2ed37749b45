package dev.lockstep.indexer.store;

import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.model.TokenKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-only queries over indexed state, for the keeper and the API. Addresses are matched
 * lowercase. Thread-safe.
 */
public final class IndexReader {
  private static final String ORDER_SELECT =
      """
      SELECT o.*, coalesce(t.symbol, o.asset_symbol) AS symbol, p.symbol AS payout_symbol,
        o.updated_block <= c.finalized_block AS is_final
      FROM indexer.orders o
      LEFT JOIN indexer.tokens t ON t.chain_id = o.chain_id AND t.address = o.token
      JOIN indexer.checkpoints c ON c.chain_id = o.chain_id
      LEFT JOIN indexer.tokens p ON p.chain_id = o.chain_id AND p.address = o.payout_token
      """;

  private final Jdbi jdbi;

  /**
   * A SQL scalar subquery, for another module's query to compose: the gross notional (stablecoin
   * base units) of the settled redeems owned by the wallet in column {@code walletColumn}, 0 if
   * none. The indexer owns the SQL that names its tables; a consumer embeds this expression instead
   * of reading {@code indexer.orders} itself.
   *
   * @param walletColumn a qualified column of the outer query holding a lowercase 0x address, such
   *     as {@code c.wallet}; must be an identifier, never user input
   */
  public static String settledNotionalOf(String walletColumn) {
    if (!walletColumn.matches("[a-z_]+(\\.[a-z_]+)?")) {
      throw new IllegalArgumentException("not a column: " + walletColumn);
    }
    return "(SELECT coalesce(sum(o.gross_notional), 0) FROM indexer.orders o WHERE o.owner = "
        + walletColumn
        + " AND o.status = 'settled')";
  }

  public IndexReader(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.ledger = new LedgerReader(jdbi);
    this.recon = new ReconReader(jdbi, this);
  }

  private final ReconReader recon;

  /** What the daily reconciliation reads. */
  public ReconReader recon() {
    return recon;
  }

  /**
   * Orders satisfying {@code predicate} (SQL over {@code o}, the orders table, with the named
   * parameters {@code binds}), by chain and order id.
   */
  List<OrderRow> ordersWhere(String predicate, java.util.Map<String, ?> binds) {
    return jdbi.withHandle(
        h -> {
          var q =
              h.createQuery(
                  ORDER_SELECT + " WHERE " + predicate + " ORDER BY o.chain_id, o.order_id");
          binds.forEach(q::bind);
          return q.map((rs, ctx) -> order(rs)).list();
        });
  }

  private final LedgerReader ledger;

  /** The double-entry ledger's reads. */
  public LedgerReader ledger() {
    return ledger;
  }

  /** Every followed token on every chain, ordered by symbol then chain. */
  public List<TokenRow> tokens() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT chain_id, address, symbol, kind, decimals, total_supply, first_block
            FROM indexer.tokens ORDER BY symbol, chain_id""")
                .map(
                    (rs, ctx) ->
                        new TokenRow(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            StoredEnum.fromDb(TokenKind.class, rs.getString(4)),
                            rs.getInt(5),
                            big(rs, "total_supply"),
                            rs.getLong(7)))
                .list());
  }

  /**
   * Non-zero balances of {@code holder}, asset tokens and stablecoins, ordered by symbol then
   * chain.
   */
  public List<BalanceRow> balancesOf(String holder) {
    return balancesOf(List.of(holder));
  }

  /** Non-zero balances of any of {@code holders}, ordered by holder, symbol and chain. */
  public List<BalanceRow> balancesOf(List<String> holders) {
    if (holders.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT b.chain_id, b.token, t.symbol, t.kind, t.decimals, b.holder, b.amount,
              NOT EXISTS (SELECT 1 FROM indexer.transfers x
                          WHERE x.chain_id = b.chain_id AND x.token = b.token AND x.block_number > c.finalized_block
                            AND (x.from_address = b.holder OR x.to_address = b.holder)) AS is_final
            FROM indexer.balances b
            JOIN indexer.tokens t ON t.chain_id = b.chain_id AND t.address = b.token
            JOIN indexer.checkpoints c ON c.chain_id = b.chain_id
            WHERE b.holder = ANY(:h) AND b.amount > 0 ORDER BY b.holder, t.symbol, b.chain_id""")
                .bindArray("h", String.class, holders.stream().map(String::toLowerCase).toList())
                .map(
                    (rs, ctx) ->
                        new BalanceRow(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            StoredEnum.fromDb(TokenKind.class, rs.getString(4)),
                            rs.getInt(5),
                            rs.getString(6),
                            big(rs, "amount"),
                            rs.getBoolean(8)))
                .list());
  }

  /** The order {@code orderId} on {@code chainId}. */
  public Optional<OrderRow> order(long chainId, long orderId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(ORDER_SELECT + " WHERE o.chain_id = :c AND o.order_id = :id")
                .bind("c", chainId)
                .bind("id", orderId)
                .map((rs, ctx) -> order(rs))
                .findOne());
  }

  /** The order's lifecycle events in chain order. */
  public List<OrderEventRow> orderHistory(long chainId, long orderId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT event, status, block_number, tx_hash, at FROM indexer.order_events
            WHERE chain_id = :c AND order_id = :id ORDER BY block_number, log_index""")
                .bind("c", chainId)
                .bind("id", orderId)
                .map(
                    (rs, ctx) ->
                        new OrderEventRow(
                            rs.getString(1),
                            StoredEnum.fromDb(OrderStatus.class, rs.getString(2)),
                            rs.getLong(3),
                            rs.getString(4),
                            rs.getTimestamp(5).toInstant()))
                .list());
  }

  /**
   * Orders on {@code side} of {@code owner} next to a cursor (chain id, order id), at most {@code
   * limit}: with {@code newer} false the ones below it, newest first; with {@code newer} true the
   * ones just above it, also returned newest first.
   */
  public List<OrderRow> ordersByOwner(
      OrderSide side, String owner, int limit, Optional<long[]> cursor, boolean newer) {
    return ordersOwnedBy(
        side,
        "o.owner = :owner",
        java.util.Map.of("owner", owner.toLowerCase()),
        limit,
        cursor,
        newer);
  }

  /**
   * Orders whose owner satisfies {@code ownerPredicate} (SQL over {@code o.owner}, with the named
   * parameters {@code binds}: for example a subquery of another module's wallets, {@code o.owner IN
   * (SELECT ...)}), paged like {@link #ordersByOwner}.
   */
  public List<OrderRow> ordersOwnedBy(
      OrderSide side,
      String ownerPredicate,
      java.util.Map<String, ?> binds,
      int limit,
      Optional<long[]> cursor,
      boolean newer) {
    String where =
        cursor.isEmpty()
            ? ""
            : newer
                ? " AND (o.chain_id, o.order_id) > (:ac, :ao)"
                : " AND (o.chain_id, o.order_id) < (:ac, :ao)";
    String order =
        newer
            ? " ORDER BY o.chain_id ASC, o.order_id ASC"
            : " ORDER BY o.chain_id DESC, o.order_id DESC";
    List<OrderRow> rows =
        jdbi.withHandle(
            h -> {
              var q =
                  h.createQuery(
                      ORDER_SELECT
                          + " WHERE o.side = :side AND ("
                          + ownerPredicate
                          + ")"
                          + where
                          + order
                          // a literal, so the prepared statement's generic plan is reused
                          + " LIMIT "
                          + limit);
              binds.forEach(q::bind);
              q.bind("side", side.dbValue());
              cursor.ifPresent(a -> q.bind("ac", a[0]).bind("ao", a[1]));
              return new java.util.ArrayList<>(q.map((rs, ctx) -> order(rs)).list());
            });
    if (newer) {
      java.util.Collections.reverse(rows);
    }
    return rows;
  }

  /**
   * Developer fees per (chain, destination, stablecoin) of the orders whose owner satisfies {@code
   * ownerPredicate} (as in {@link #ordersOwnedBy}), stablecoin base units.
   *
   * @param currencyAddress the stablecoin's token address
   * @param charged charged by settled orders
   * @param settled paid out of the book's escrow to the destination by fee sweeps (the ledger's
   *     {@code fee_sweep} entries, net of reorg reversals), at most {@code charged}
   * @param pending what open orders will charge at their notional bound (a mint's maximum, a
   *     redeem's minimum), rounded up as the book rounds fees
   */
  public record DeveloperFeeRow(
      long chainId,
      String destination,
      String currency,
      String currencyAddress,
      BigInteger charged,
      BigInteger settled,
      BigInteger pending,
      long orders) {
    /** Charged and not yet swept: in the book's escrow. */
    public BigInteger accrued() {
      return charged.subtract(settled);
    }
  }

  /** See {@link DeveloperFeeRow}; ordered by chain, destination and currency. */
  public List<DeveloperFeeRow> developerFees(
      String ownerPredicate, java.util.Map<String, ?> binds) {
    return jdbi.withHandle(
        h -> {
          var q =
              h.createQuery(
                  """
                  WITH f AS (
                    SELECT o.chain_id, o.developer_fee_recipient AS rcpt, o.payout_token,
                      coalesce(sum(o.developer_fee) FILTER (WHERE o.status = 'settled'), 0) AS charged,
                      coalesce(sum(ceil(o.min_notional * o.developer_fee_bps / 10000.0))
                        FILTER (WHERE o.status IN ('armed', 'queued', 'active')), 0) AS pending,
                      count(*) AS orders
                    FROM indexer.orders o
                    WHERE o.developer_fee_bps > 0 AND o.status <> 'cancelled' AND ("""
                      + ownerPredicate
                      + """
                  ) GROUP BY 1, 2, 3)
                  SELECT f.chain_id, f.rcpt, coalesce(p.symbol, '?'), f.payout_token, f.charged,
                    least(f.charged, coalesce((SELECT sum(CASE WHEN e.debit_account = a.id THEN e.amount ELSE -e.amount END)
                      FROM indexer.ledger_entries e,
                        (SELECT 'developer_fees:' || f.chain_id || ':' || f.rcpt AS id) a
                      WHERE e.kind = 'fee_sweep' AND e.currency = f.payout_token
                        AND (e.debit_account = a.id OR e.credit_account = a.id)), 0)) AS settled,
                    f.pending, f.orders
                  FROM f LEFT JOIN indexer.tokens p ON p.chain_id = f.chain_id AND p.address = f.payout_token
                  ORDER BY 1, 2, 3""");
          binds.forEach(q::bind);
          return q.map(
                  (rs, ctx) ->
                      new DeveloperFeeRow(
                          rs.getLong(1),
                          rs.getString(2),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getBigDecimal(5).toBigIntegerExact(),
                          rs.getBigDecimal(6).toBigIntegerExact(),
                          rs.getBigDecimal(7).toBigIntegerExact(),
                          rs.getLong(8)))
              .list();
        });
  }

  /** Orders on {@code chainId} in {@code status}, oldest first, at most {@code limit}. */
  public List<OrderRow> ordersByStatus(long chainId, OrderStatus status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    ORDER_SELECT
                        + " WHERE o.chain_id = :c AND o.status = :s ORDER BY o.order_id LIMIT "
                        + limit)
                .bind("c", chainId)
                .bind("s", status.dbValue())
                .map((rs, ctx) -> order(rs))
                .list());
  }

  /** The chain's checkpoint, or empty before the indexer has started on it. */
  public Optional<Checkpoint> checkpoint(long chainId) {
    return jdbi.withHandle(h -> BatchWriter.checkpoint(h, chainId, false));
  }

  /** Stablecoins the chain's order book currently accepts as payout, by symbol. */
  public List<PayoutCurrencyRow> payoutCurrencies(long chainId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT e.chain_id, e.token, coalesce(t.symbol, e.token), coalesce(t.decimals, 0)
            FROM (SELECT DISTINCT ON (token) chain_id, token, accepted FROM indexer.payout_currency_events
                  WHERE chain_id = :c ORDER BY token, block_number DESC, log_index DESC) e
            LEFT JOIN indexer.tokens t ON t.chain_id = e.chain_id AND t.address = e.token
            WHERE e.accepted ORDER BY 3""")
                .bind("c", chainId)
                .map(
                    (rs, ctx) ->
                        new PayoutCurrencyRow(
                            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
                .list());
  }

  private static OrderRow order(ResultSet rs) throws SQLException {
    return new OrderRow(
        rs.getLong("chain_id"),
        rs.getLong("order_id"),
        StoredEnum.fromDb(OrderSide.class, rs.getString("side")),
        StoredEnum.fromDb(OrderStatus.class, rs.getString("status")),
        rs.getString("owner"),
        rs.getString("token"),
        rs.getString("symbol"),
        big(rs, "quantity"),
        rs.getString("payout_token"),
        Optional.ofNullable(rs.getString("payout_symbol")).orElse("?"),
        big(rs, "min_notional"),
        rs.getString("destination"),
        Optional.ofNullable(big(rs, "gross_notional")),
        Optional.ofNullable(big(rs, "payout")),
        Optional.ofNullable(rs.getString("cancelled_by")),
        rs.getLong("created_block"),
        rs.getString("created_tx"),
        rs.getTimestamp("created_at").toInstant(),
        Optional.ofNullable(rs.getString("closed_tx")),
        Optional.ofNullable(rs.getTimestamp("closed_at")).map(Timestamp::toInstant),
        rs.getLong("updated_block"),
        rs.getBoolean("is_final"),
        terms(rs),
        charges(rs),
        limit(rs),
        trigger(rs));
  }

  private static Optional<OrderRow.Trigger> trigger(ResultSet rs) throws SQLException {
    String kind = rs.getString("trigger_kind");
    if (kind == null) {
      return Optional.empty();
    }
    long peer = rs.getLong("oco_peer");
    return Optional.of(
        new OrderRow.Trigger(
            StoredEnum.fromDb(dev.lockstep.indexer.model.TriggerKind.class, kind),
            big(rs, "trigger_price"),
            rs.getTimestamp("good_till").toInstant(),
            rs.wasNull() || peer == 0 ? Optional.empty() : Optional.of(peer),
            Optional.ofNullable(big(rs, "trigger_mark"))));
  }

  private static Optional<OrderRow.Limit> limit(ResultSet rs) throws SQLException {
    BigInteger price = big(rs, "limit_price");
    return price == null
        ? Optional.empty()
        : Optional.of(new OrderRow.Limit(price, rs.getTimestamp("good_till").toInstant()));
  }

  private static Optional<OrderRow.Terms> terms(ResultSet rs) throws SQLException {
    String sponsor = rs.getString("gas_sponsor");
    if (sponsor == null) {
      return Optional.empty();
    }
    BigInteger locked = big(rs, "locked");
    return Optional.of(
        new OrderRow.Terms(
            rs.getInt("platform_fee_bps"),
            rs.getInt("developer_fee_bps"),
            Optional.ofNullable(rs.getString("developer_fee_recipient"))
                .filter(r -> !r.equals("0x" + "0".repeat(40))),
            StoredEnum.fromDb(GasSponsor.class, sponsor),
            big(rs, "max_gas"),
            locked == null ? BigInteger.ZERO : locked));
  }

  private static Optional<OrderRow.Charges> charges(ResultSet rs) throws SQLException {
    BigInteger costs = big(rs, "costs");
    if (costs == null) {
      return Optional.empty();
    }
    return Optional.of(
        new OrderRow.Charges(
            costs, big(rs, "platform_fee"), big(rs, "developer_fee"), big(rs, "gas_charged")));
  }

  private static BigInteger big(ResultSet rs, String column) throws SQLException {
    BigDecimal d = rs.getBigDecimal(column);
    return d == null ? null : d.toBigIntegerExact();
  }
}
