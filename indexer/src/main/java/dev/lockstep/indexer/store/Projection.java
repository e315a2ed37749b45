package dev.lockstep.indexer.store;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.IndexedEvent.LogPosition;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.model.StoredEnum;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Projects one batch's events into rows inside the batch's transaction. Transfers arrive prepared
 * ({@link TransferBulk}): their COPY text is streamed in, and their balance and supply deltas,
 * summed by the fetching thread, are written once per (token, holder) and per token; zero balances
 * are deleted, so the balances table holds exactly the non-zero balances whatever the batch
 * boundaries were. Order lifecycle events update the order, append to its history and write an
 * outbox event for webhooks.
 */
final class Projection {
  private final Handle h;
  private final long chainId;
  private final String orderBook;
  private final Map<Long, Instant> times;

  Projection(Handle h, long chainId, String orderBook, Map<Long, Instant> times) {
    this.h = h;
    this.chainId = chainId;
    this.orderBook = orderBook;
    this.times = times;
  }

  void apply(List<IndexedEvent> events, TransferBulk transfers) {
    // Events first: a token deployed in this batch must be registered before its supply changes.
    for (IndexedEvent e : events) {
      switch (e) {
        case IndexedEvent.Transfer t ->
            throw new IllegalArgumentException("Transfers belong in the TransferBulk: " + t);
        case IndexedEvent.TokenDeployed d -> tokenDeployed(d);
        case IndexedEvent.OrderCreated o -> orderCreated(o);
        case IndexedEvent.OrderPromoted p ->
            orderStatus(p.position(), p.orderId(), "promoted", OrderStatus.ACTIVE);
        case IndexedEvent.OrderSettled s -> orderSettled(s);
        case IndexedEvent.OrderCancelled c -> orderCancelled(c);
        case IndexedEvent.OrderTermsSet t -> orderTerms(t);
        case IndexedEvent.OrderLimitSet l -> orderLimit(l);
        case IndexedEvent.OrderTriggerSet t -> orderTrigger(t);
        case IndexedEvent.OrderTriggered t -> orderTriggered(t);
        case IndexedEvent.OrderCharged c -> orderCharged(c);
        case IndexedEvent.MintAsset m -> mintAsset(m);
        case IndexedEvent.DeveloperFeeAccrued f -> feeAccrued(f);
        case IndexedEvent.PayoutCurrencySet p -> payoutCurrency(p);
        case IndexedEvent.OrderIntentUsed u -> intentUsed(u);
        case IndexedEvent.DeveloperFeesSwept s -> feesSwept(s);
      }
    }
    new LedgerPosting(h, chainId, orderBook, times).post(events);
    copyTransfers(transfers);
    flushBalances(transfers);
  }

  private void copyTransfers(TransferBulk transfers) {
    if (transfers.rows() == 0) {
      return;
    }
    try {
      CopyIn copy =
          h.getConnection()
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  """
          COPY indexer.transfers
            (chain_id, block_number, log_index, block_hash, tx_hash, token, from_address, to_address, amount)
          FROM STDIN""");
      try {
        transfers.writeTo(copy);
        copy.endCopy();
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
    } catch (SQLException e) {
      throw new IndexerException(
          "COPY of "
              + transfers.rows()
              + " transfers on chain "
              + chainId
              + " failed: "
              + e.getMessage(),
          true,
          e);
    }
  }

  private void tokenDeployed(IndexedEvent.TokenDeployed d) {
    h.createUpdate(
            """
            INSERT INTO indexer.tokens (chain_id, address, symbol, kind, decimals, first_block, deploy_tx)
            VALUES (:c, :a, :s, 'asset', 6, :b, :tx) ON CONFLICT DO NOTHING""")
        .bind("c", chainId)
        .bind("a", d.token())
        .bind("s", d.symbol())
        .bind("b", d.position().blockNumber())
        .bind("tx", d.position().txHash())
        .execute();
    outbox(
        d.position(),
        "mint.contract_deployed",
        """
        jsonb_build_object('chain_id', :c, 'token', :token, 'symbol', :symbol, 'tx_hash', :tx, 'block_number', :b)""",
        Map.of("token", d.token(), "symbol", d.symbol()),
        "NULL");
  }

  private void payoutCurrency(IndexedEvent.PayoutCurrencySet p) {
    LogPosition at = p.position();
    h.createUpdate(
            """
            INSERT INTO indexer.payout_currency_events (chain_id, block_number, log_index, order_book, token, accepted)
            VALUES (:c, :b, :i, :book, :t, :a)""")
        .bind("c", chainId)
        .bind("b", at.blockNumber())
        .bind("i", at.logIndex())
        .bind("book", orderBook)
        .bind("t", p.token())
        .bind("a", p.accepted())
        .execute();
  }

  private void orderCreated(IndexedEvent.OrderCreated o) {
    LogPosition p = o.position();
    OrderStatus status = o.status();
    h.createUpdate(
            """
            INSERT INTO indexer.orders (chain_id, order_id, order_book, side, status, owner, token, quantity,
              payout_token, min_notional, destination, created_block, created_tx, created_at, updated_block)
            VALUES (:c, :id, :book, :side, :status, :owner, :token, :q, :pt, :min, :dest, :b, :tx, :at, :b)""")
        .bind("c", chainId)
        .bind("id", o.orderId())
        .bind("side", o.side().dbValue())
        .bind("book", orderBook)
        .bind("status", status.dbValue())
        .bind("owner", o.owner())
        .bind("token", o.token())
        .bind("q", new BigDecimal(o.quantity()))
        .bind("pt", o.payoutToken())
        .bind("min", new BigDecimal(o.minNotional()))
        .bind("dest", o.destination())
        .bind("b", p.blockNumber())
        .bind("tx", p.txHash())
        .bind("at", Timestamp.from(time(p)))
        .execute();
    history(p, o.orderId(), "created", status);
    // redeem.created (the reference's mint lifecycle starts at mint.queued or mint.settled)
    if (o.side() == OrderSide.REDEEM) {
      orderOutbox(p, o.orderId(), "redeem.created", status);
    }
    if (status == OrderStatus.QUEUED) {
      orderOutbox(p, o.orderId(), o.side().dbValue() + ".queued", status);
    }
  }

  private void orderTerms(IndexedEvent.OrderTermsSet t) {
    setOnOrder(
        t.position(),
        t.orderId(),
        "terms",
        "platform_fee_bps = :pbps, developer_fee_bps = :dbps, developer_fee_recipient = :rcpt,"
            + " gas_sponsor = :sponsor, max_gas = :max_gas, locked = :locked",
        Map.of(
            "pbps", t.platformFeeBps(),
            "dbps", t.developerFeeBps(),
            "rcpt", t.developerFeeRecipient(),
            "sponsor", t.gasSponsor().dbValue(),
            "max_gas", new BigDecimal(t.maxGas()),
            "locked", new BigDecimal(t.locked())));
  }

  private void orderLimit(IndexedEvent.OrderLimitSet l) {
    setOnOrder(
        l.position(),
        l.orderId(),
        "limit",
        "limit_price = :price, good_till = :till",
        Map.of(
            "price",
            new BigDecimal(l.limitPrice()),
            "till",
            java.sql.Timestamp.from(l.goodTill())));
  }

  /**
   * A trigger sell's condition; {@code order.armed} (with the trigger) for the tenant of its owner.
   * A take-profit is also a limit sell at its price (the book binds its settle so).
   */
  private void orderTrigger(IndexedEvent.OrderTriggerSet t) {
    boolean takeProfit = t.kind() == dev.lockstep.indexer.model.TriggerKind.TAKE_PROFIT;
    Map<String, Object> values = new java.util.HashMap<>();
    values.put("kind", t.kind().dbValue());
    values.put("price", new BigDecimal(t.triggerPrice()));
    values.put("till", Timestamp.from(t.goodTill()));
    values.put("peer", t.ocoPeer() == 0 ? null : t.ocoPeer());
    values.put("tp", takeProfit);
    setOnOrder(
        t.position(),
        t.orderId(),
        "trigger",
        "trigger_kind = :kind, trigger_price = :price, good_till = :till, oco_peer = CAST(:peer AS bigint),"
            + " limit_price = CASE WHEN :tp THEN CAST(:price AS numeric) ELSE NULL END",
        values);
    outbox(
        t.position(),
        "order.armed",
        """
        jsonb_build_object('chain_id', :c, 'order_id', :order_id, 'status', 'armed', 'trigger', :kind,
          'trigger_price', :price, 'good_till', :till, 'oco_peer_id', CAST(NULLIF(:peer, '') AS bigint),
          'tx_hash', :tx, 'block_number', :b,
          'owner', (SELECT owner FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id))""",
        Map.of(
            "order_id", t.orderId(),
            "kind", t.kind().dbValue(),
            "price", usd(t.triggerPrice()),
            "till", t.goodTill().toString(),
            "peer", t.ocoPeer() == 0 ? "" : Long.toString(t.ocoPeer())),
        "(SELECT owner FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id)");
  }

  /** A trigger that fired: the new status, its history row, and {@code order.triggered}. */
  private void orderTriggered(IndexedEvent.OrderTriggered t) {
    setOnOrder(
        t.position(),
        t.orderId(),
        "triggered",
        "triggered_block = :tb, trigger_mark = :mark",
        Map.of("tb", t.position().blockNumber(), "mark", new BigDecimal(t.mark())));
    orderStatus(t.position(), t.orderId(), "triggered", t.status(), "order.triggered");
  }

  /** Stablecoin base units per share as whole USD with 6 decimals ("182.500000"). */
  private static String usd(java.math.BigInteger units) {
    return new BigDecimal(units).movePointLeft(6).setScale(6).toPlainString();
  }

  /** A signed order's relayer, who paid its gas deposit (when it is not the owner). */
  private void intentUsed(IndexedEvent.OrderIntentUsed u) {
    if (!u.relayer().equalsIgnoreCase(u.owner())) {
      setOnOrder(
          u.position(), u.orderId(), "intent used", "relayer = :r", Map.of("r", u.relayer()));
    }
  }

  /**
   * {@code fee.settled}, for the tenant whose orders name the recipient (the owner of the latest
   * such order, as for the sweep's ledger entry): the book paid a recipient its escrowed developer
   * fees, in whole units.
   */
  private void feesSwept(IndexedEvent.DeveloperFeesSwept s) {
    outbox(
        s.position(),
        "fee.settled",
        "jsonb_build_object('chain_id', :c, 'recipient', :recipient,"
            + " 'currency', (SELECT symbol FROM indexer.tokens WHERE chain_id = :c AND address = :currency),"
            + " 'amount', "
            + wholeUnits(":amount", ":currency")
            + ", 'tx_hash', :tx, 'block_number', :b)",
        Map.of(
            "recipient", s.recipient(), "currency", s.currency(), "amount", s.amount().toString()),
        LedgerPosting.RECIPIENT_TENANT_WALLET);
  }

  private void mintAsset(IndexedEvent.MintAsset m) {
    setOnOrder(
        m.position(), m.orderId(), "mint asset", "asset_symbol = :s", Map.of("s", m.symbol()));
  }

  private void orderCharged(IndexedEvent.OrderCharged c) {
    setOnOrder(
        c.position(),
        c.orderId(),
        "charged",
        "costs = :costs, platform_fee = :pfee, developer_fee = :dfee, gas_charged = :gas",
        Map.of(
            "costs", new BigDecimal(c.costs()),
            "pfee", new BigDecimal(c.platformFee()),
            "dfee", new BigDecimal(c.developerFee()),
            "gas", new BigDecimal(c.gas())));
  }

  /** Sets {@code assignments} on an indexed order; an order never created is an inconsistency. */
  private void setOnOrder(
      LogPosition p, long orderId, String event, String assignments, Map<String, ?> values) {
    var u =
        h.createUpdate(
                "UPDATE indexer.orders SET "
                    + assignments
                    + " WHERE chain_id = :c AND order_id = :id")
            .bind("c", chainId)
            .bind("id", orderId);
    values.forEach(u::bind);
    if (u.execute() != 1) {
      throw neverCreated(orderId, event, p);
    }
  }

  /**
   * {@code fee.accrued}, for the tenant of the order's owner: the developer fee a settle put in the
   * book's escrow for its recipient, in whole units of the stablecoin.
   */
  private void feeAccrued(IndexedEvent.DeveloperFeeAccrued f) {
    outbox(
        f.position(),
        "fee.accrued",
        "jsonb_build_object('chain_id', :c, 'order_id', :order_id, 'recipient', :recipient,"
            + " 'currency', (SELECT symbol FROM indexer.tokens WHERE chain_id = :c AND address = :currency),"
            + " 'amount', "
            + wholeUnits(":amount", ":currency")
            + ", 'side', (SELECT side FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id),"
            + " 'tx_hash', :tx, 'block_number', :b)",
        Map.of(
            "order_id",
            f.orderId(),
            "recipient",
            f.recipient(),
            "currency",
            f.currency(),
            "amount",
            f.amount().toString()),
        "(SELECT owner FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id)");
  }

  private void orderSettled(IndexedEvent.OrderSettled s) {
    h.createUpdate(
            "UPDATE indexer.orders SET gross_notional = :g, payout = :p WHERE chain_id = :c AND order_id = :id")
        .bind("g", new BigDecimal(s.grossNotional()))
        .bind("p", new BigDecimal(s.payout()))
        .bind("c", chainId)
        .bind("id", s.orderId())
        .execute();
    orderStatus(s.position(), s.orderId(), "settled", OrderStatus.SETTLED);
  }

  private void orderCancelled(IndexedEvent.OrderCancelled c) {
    h.createUpdate(
            "UPDATE indexer.orders SET cancelled_by = :by WHERE chain_id = :c AND order_id = :id")
        .bind("by", c.by())
        .bind("c", chainId)
        .bind("id", c.orderId())
        .execute();
    orderStatus(c.position(), c.orderId(), "cancelled", OrderStatus.CANCELLED);
    feeRefunded(c.position(), c.orderId());
  }

  /**
   * {@code fee.refunded}, for the tenant of the order's owner, when a cancel returned fees or gas
   * the order had reserved: a mint's lock holds both fees on its maximum notional (and, under the
   * user_notional sponsor, its gas cap); a developer-sponsored order's gas deposit goes back whole.
   * The leg of an OCO pair cancelled by its peer refunds nothing (the lock is the peer's), so it is
   * the leg cancelled while its peer was still open that publishes nothing, and the other one that
   * does. Amounts in whole units of the stablecoin.
   */
  private void feeRefunded(LogPosition p, long orderId) {
    var row =
        h.createQuery(
                """
            SELECT o.side, o.min_notional, o.platform_fee_bps, o.developer_fee_bps, o.gas_sponsor, o.max_gas,
              (o.oco_peer IS NOT NULL AND peer.status IN ('armed', 'queued', 'active')) AS peer_open
            FROM indexer.orders o
            LEFT JOIN indexer.orders peer ON peer.chain_id = o.chain_id AND peer.order_id = o.oco_peer
            WHERE o.chain_id = :c AND o.order_id = :id AND o.gas_sponsor IS NOT NULL""")
            .bind("c", chainId)
            .bind("id", orderId)
            .map(
                (rs, ctx) -> {
                  if (rs.getBoolean("peer_open")) {
                    return null;
                  }
                  boolean mint = OrderSide.MINT.dbValue().equals(rs.getString("side"));
                  java.math.BigInteger bound = rs.getBigDecimal("min_notional").toBigIntegerExact();
                  java.math.BigInteger maxGas = rs.getBigDecimal("max_gas").toBigIntegerExact();
                  boolean developerGas = "developer".equals(rs.getString("gas_sponsor"));
                  java.math.BigInteger platform =
                      mint
                          ? dev.lockstep.indexer.model.FeeMath.feeOf(
                              bound, rs.getInt("platform_fee_bps"))
                          : java.math.BigInteger.ZERO;
                  java.math.BigInteger developer =
                      mint
                          ? dev.lockstep.indexer.model.FeeMath.feeOf(
                              bound, rs.getInt("developer_fee_bps"))
                          : java.math.BigInteger.ZERO;
                  java.math.BigInteger gas =
                      mint || developerGas ? maxGas : java.math.BigInteger.ZERO;
                  return new java.math.BigInteger[] {platform, developer, gas};
                })
            .findOne();
    if (row.isEmpty() || row.get() == null) {
      return;
    }
    java.math.BigInteger[] f = row.get();
    java.math.BigInteger total = f[0].add(f[1]).add(f[2]);
    if (total.signum() == 0) {
      return;
    }
    String currency =
        "(SELECT payout_token FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id)";
    outbox(
        p,
        "fee.refunded",
        "jsonb_build_object('chain_id', :c, 'order_id', :order_id,"
            + " 'side', (SELECT side FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id),"
            + " 'currency', (SELECT t.symbol FROM indexer.tokens t WHERE t.chain_id = :c AND t.address = "
            + currency
            + "), 'platform_fee', "
            + wholeUnits(":pf", currency)
            + ", 'developer_fee', "
            + wholeUnits(":df", currency)
            + ", 'gas', "
            + wholeUnits(":gas", currency)
            + ", 'amount', "
            + wholeUnits(":total", currency)
            + ", 'tx_hash', :tx, 'block_number', :b)",
        Map.of(
            "order_id", orderId,
            "pf", f[0].toString(),
            "df", f[1].toString(),
            "gas", f[2].toString(),
            "total", total.toString()),
        "(SELECT owner FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id)");
  }

  private void orderStatus(LogPosition p, long orderId, String event, OrderStatus status) {
    orderStatus(p, orderId, event, status, null);
  }

  /**
   * SQL for the base units in {@code amountSql} as whole units (text, the token's decimals) of the
   * token at {@code tokenSql} on the batch's chain.
   */
  private static String wholeUnits(String amountSql, String tokenSql) {
    return "(SELECT round(CAST("
        + amountSql
        + " AS numeric) / power(CAST(10 AS numeric), t.decimals), t.decimals)::text"
        + " FROM indexer.tokens t WHERE t.chain_id = :c AND t.address = "
        + tokenSql
        + ")";
  }

  /** As above, publishing {@code type} instead of the status's own event when it is given. */
  private void orderStatus(
      LogPosition p, long orderId, String event, OrderStatus status, String type) {
    boolean closes = status.isClosed();
    OrderSide side =
        h.createQuery(
                """
            UPDATE indexer.orders SET status = :s, updated_block = :b,
              closed_block = CASE WHEN :closes THEN :b ELSE closed_block END,
              closed_tx = CASE WHEN :closes THEN :tx ELSE closed_tx END,
              closed_at = CASE WHEN :closes THEN :at ELSE closed_at END
            WHERE chain_id = :c AND order_id = :id RETURNING side""")
            .bind("s", status.dbValue())
            .bind("b", p.blockNumber())
            .bind("closes", closes)
            .bind("tx", p.txHash())
            .bind("at", Timestamp.from(time(p)))
            .bind("c", chainId)
            .bind("id", orderId)
            .mapTo(String.class)
            .findOne()
            .map(v -> StoredEnum.fromDb(OrderSide.class, v))
            .orElseThrow(() -> neverCreated(orderId, event, p));
    history(p, orderId, event, status);
    orderOutbox(p, orderId, type != null ? type : eventType(side, status), status);
  }

  /**
   * The event an order's new status publishes (reference "State machine"): {@code redeem.<status>};
   * a mint's on-chain cancel is {@code mint.failed} (the broker rejected it and the lock was
   * refunded), as the reference's mint lifecycle has no cancelled state.
   */
  static String eventType(OrderSide side, OrderStatus status) {
    if (side == OrderSide.MINT && status == OrderStatus.CANCELLED) {
      return "mint.failed";
    }
    return side.dbValue() + "." + status.dbValue();
  }

  private IndexerException neverCreated(long orderId, String event, LogPosition p) {
    return new IndexerException(
        "order "
            + orderId
            + " on chain "
            + chainId
            + " "
            + event
            + " at block "
            + p.blockNumber()
            + " but was never created in the index",
        false);
  }

  private void history(LogPosition p, long orderId, String event, OrderStatus status) {
    h.createUpdate(
            """
            INSERT INTO indexer.order_events (chain_id, block_number, log_index, order_id, event, status, tx_hash, at)
            VALUES (:c, :b, :i, :id, :e, :s, :tx, :at)""")
        .bind("c", chainId)
        .bind("b", p.blockNumber())
        .bind("i", p.logIndex())
        .bind("id", orderId)
        .bind("e", event)
        .bind("s", status.dbValue())
        .bind("tx", p.txHash())
        .bind("at", Timestamp.from(time(p)))
        .execute();
  }

  private void orderOutbox(LogPosition p, long orderId, String type, OrderStatus status) {
    outbox(
        p,
        type,
        """
        jsonb_build_object('chain_id', :c, 'order_id', :order_id, 'status', :status, 'tx_hash', :tx,
          'block_number', :b, 'owner', (SELECT owner FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id))""",
        Map.of("order_id", orderId, "status", status.dbValue()),
        "(SELECT owner FROM indexer.orders WHERE chain_id = :c AND order_id = :order_id)");
  }

  /**
   * Appends an outbox event; its id is derived from (chain, block hash, log index, type), so a
   * re-applied log on another fork gets a new id. {@code walletSql} names the wallet the event
   * concerns ({@code NULL} for a public catalog event).
   */
  private void outbox(
      LogPosition p, String type, String payloadSql, Map<String, Object> binds, String walletSql) {
    var u =
        h.createUpdate(
                """
            INSERT INTO indexer.outbox_events (event_id, chain_id, block_number, log_index, type, payload, wallet)
            VALUES (:event_id, :c, :b, :i, :type, """
                    + payloadSql
                    + ", "
                    + walletSql
                    + ")")
            .bind("event_id", eventId(p, type))
            .bind("c", chainId)
            .bind("b", p.blockNumber())
            .bind("i", p.logIndex())
            .bind("type", type)
            .bind("tx", p.txHash());
    binds.forEach(u::bind);
    u.execute();
  }

  private String eventId(LogPosition p, String type) {
    return hashId("evt_", chainId + ":" + p.blockHash() + ":" + p.logIndex() + ":" + type);
  }

  /**
   * {@code prefix} and the first 12 bytes of SHA-256 of {@code source} in hex: an id derived from
   * the log it comes from, so a log re-applied on another fork (another block hash) gets another.
   */
  static String hashId(String prefix, String source) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Instant time(LogPosition p) {
    return times.get(p.blockNumber());
  }

  /**
   * Adds the batch's summed deltas to the balances in one statement, deletes the rows that reach
   * zero, and checks the rows it touched: a negative result means the logs were incomplete, so the
   * whole batch rolls back.
   */
  private void flushBalances(TransferBulk transfers) {
    List<String> tokens = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    List<BigDecimal> deltas = new ArrayList<>();
    transfers
        .balanceDeltas()
        .forEach(
            (k, v) -> {
              if (v.signum() != 0) {
                tokens.add(k.token());
                holders.add(k.holder());
                deltas.add(new BigDecimal(v));
              }
            });
    Balances.add(h, chainId, tokens, holders, deltas);
    transfers
        .supplyDeltas()
        .forEach(
            (token, delta) -> {
              int updated =
                  h.createUpdate(
                          "UPDATE indexer.tokens SET total_supply = total_supply + :d WHERE chain_id = :c AND address = :a")
                      .bind("d", new BigDecimal(delta))
                      .bind("c", chainId)
                      .bind("a", token)
                      .execute();
              if (updated != 1) {
                throw new IndexerException(
                    "supply of token "
                        + token
                        + " on chain "
                        + chainId
                        + " changed but the token is "
                        + "not registered in the index",
                    false);
              }
            });
  }
}
