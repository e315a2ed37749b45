package dev.lockstep.indexer.store;

import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.IndexedEvent.LogPosition;
import dev.lockstep.indexer.model.LedgerAccount;
import dev.lockstep.indexer.model.LedgerAccount.Kind;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.StoredEnum;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Books a batch's money movements into the double-entry ledger ({@code indexer.ledger_entries}),
 * inside the batch's transaction, after the batch's events were projected (so each order's row is
 * current). Each transfer moves an amount of one currency (a token address) from a debit account to
 * a credit account ({@link LedgerAccount}):
 *
 * <ul>
 *   <li>a redeem's creation locks its tokens (wallet → order), a mint's its stablecoin, a
 *       developer-sponsored order its gas deposit (from whoever paid it: the relayer of a signed
 *       order);
 *   <li>a redeem's settle books the broker's gross proceeds into the order, and from it the
 *       broker's costs, the payout to the destination, the platform fee, the developer fee (into
 *       the recipient's escrow account), the gas and the rest of a gas deposit back; its tokens are
 *       burnt (order → issuance);
 *   <li>a mint's settle pays the broker the gross from its lock, then costs, fees and gas, and
 *       refunds the rest; its tokens are issued (issuance → destination);
 *   <li>a cancel returns the lock and the deposit; an OCO leg cancelled by its peer's trigger (or
 *       with its peer) returns nothing, the pair's lock being one;
 *   <li>a fee sweep pays a recipient's escrow to its wallet.
 * </ul>
 *
 * So every order's account nets to zero per currency once the order is closed. Entry ids derive
 * from the log and the leg; a log undone by a reorg ({@link Rollback} writes the reversals) and
 * applied again is booked under the next id of that base.
 */
final class LedgerPosting {
  private final Handle h;
  private final long chainId;
  private final String orderBook;
  private final Map<Long, Instant> times;
  private final List<Entry> entries = new ArrayList<>();

  /**
   * SQL naming the wallet a fee sweep to {@code :recipient} concerns: the owner of the latest order
   * on the chain that named the recipient for its developer fee (the tenant that chose it).
   */
  static final String RECIPIENT_TENANT_WALLET =
      "(SELECT owner FROM indexer.orders WHERE chain_id = :c AND developer_fee_recipient = :recipient"
          + " ORDER BY order_id DESC LIMIT 1)";

  LedgerPosting(Handle h, long chainId, String orderBook, Map<Long, Instant> times) {
    this.h = h;
    this.chainId = chainId;
    this.orderBook = orderBook;
    this.times = times;
  }

  /** One transfer to book. */
  private record Entry(
      String baseId,
      LogPosition at,
      String kind,
      LedgerAccount debit,
      LedgerAccount credit,
      BigInteger amount,
      String currency,
      Long orderId,
      String wallet) {}

  /** An order as the ledger needs it. */
  private record Order(
      long id,
      OrderSide side,
      String owner,
      String token,
      String currency,
      String destination,
      BigInteger quantity,
      BigInteger locked,
      BigInteger deposit,
      Optional<String> feeRecipient,
      Optional<Long> ocoPeer,
      Optional<String> relayer,
      Optional<BigInteger> gross,
      Optional<BigInteger> payout) {
    /** The account of the order's lock: an OCO pair's is its stop leg's (the lower id). */
    long lockHolder() {
      return ocoPeer.filter(p -> p < id).orElse(id);
    }

    /** The second leg of an OCO pair, which shares the first leg's lock and deposit. */
    boolean sharesLock() {
      return lockHolder() != id;
    }

    String depositor() {
      return relayer.orElse(owner);
    }
  }

  void post(List<IndexedEvent> events) {
    Set<Long> ids =
        events.stream()
            .map(LedgerPosting::orderOf)
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
    if (ids.isEmpty()
        && events.stream().noneMatch(e -> e instanceof IndexedEvent.DeveloperFeesSwept)) {
      return;
    }
    Map<Long, Order> orders = orders(ids);
    for (int i = 0; i < events.size(); i++) {
      IndexedEvent e = events.get(i);
      switch (e) {
        case IndexedEvent.OrderCreated c -> created(orders.get(c.orderId()), c.position());
        case IndexedEvent.OrderTermsSet t -> terms(orders.get(t.orderId()), t);
        case IndexedEvent.OrderCharged c -> settled(orders.get(c.orderId()), c);
        case IndexedEvent.OrderCancelled c -> {
          Order o = orders.get(c.orderId());
          if (!closedByPeer(events, i, o)) {
            cancelled(o, c.position());
          }
        }
        case IndexedEvent.DeveloperFeesSwept s ->
            add(
                s.position(),
                0,
                "fee_sweep",
                LedgerAccount.book(Kind.DEVELOPER_FEES, chainId, s.recipient()),
                LedgerAccount.wallet(chainId, s.recipient()),
                s.amount(),
                s.currency(),
                null,
                h.createQuery("SELECT " + RECIPIENT_TENANT_WALLET)
                    .bind("c", chainId)
                    .bind("recipient", s.recipient())
                    .mapTo(String.class)
                    .findOne()
                    .orElse(s.recipient()));
        default -> {}
      }
    }
    write();
  }

  private static Optional<Long> orderOf(IndexedEvent e) {
    return switch (e) {
      case IndexedEvent.OrderCreated c -> Optional.of(c.orderId());
      case IndexedEvent.OrderTermsSet t -> Optional.of(t.orderId());
      case IndexedEvent.OrderCharged c -> Optional.of(c.orderId());
      case IndexedEvent.OrderCancelled c -> Optional.of(c.orderId());
      default -> Optional.empty();
    };
  }

  /**
   * Whether the cancel at {@code i} is an OCO leg closed by its peer: the book then emits the leg's
   * cancel just before its peer's trigger or cancel, in the same transaction, and returns nothing.
   */
  private static boolean closedByPeer(List<IndexedEvent> events, int i, Order o) {
    if (o.ocoPeer().isEmpty()) {
      return false;
    }
    long peer = o.ocoPeer().get();
    String tx = events.get(i).position().txHash();
    for (int j = i + 1; j < events.size(); j++) {
      IndexedEvent next = events.get(j);
      if (!next.position().txHash().equals(tx)) {
        return false;
      }
      if ((next instanceof IndexedEvent.OrderTriggered t && t.orderId() == peer)
          || (next instanceof IndexedEvent.OrderCancelled c && c.orderId() == peer)) {
        return true;
      }
    }
    return false;
  }

  private void created(Order o, LogPosition at) {
    if (o.side() == OrderSide.REDEEM && !o.sharesLock()) {
      add(at, 0, "lock", wallet(o.owner()), account(o), o.quantity(), o.token(), o);
    }
  }

  private void terms(Order o, IndexedEvent.OrderTermsSet t) {
    if (o.sharesLock()) {
      return;
    }
    if (o.locked().signum() > 0) {
      add(t.position(), 0, "lock", wallet(o.owner()), account(o), o.locked(), o.currency(), o);
    }
    if (o.deposit().signum() > 0) {
      add(
          t.position(),
          1,
          "gas_deposit",
          wallet(o.depositor()),
          account(o),
          o.deposit(),
          o.currency(),
          o);
    }
  }

  private void settled(Order o, IndexedEvent.OrderCharged c) {
    LogPosition at = c.position();
    LedgerAccount order = account(o);
    String s = o.currency();
    BigInteger gross = o.gross().orElseThrow();
    boolean redeem = o.side() == OrderSide.REDEEM;
    LedgerAccount broker = LedgerAccount.book(Kind.BROKER, chainId, orderBook);
    if (redeem) {
      add(at, 0, "broker_proceeds", broker, order, gross, s, o);
    } else {
      add(at, 0, "broker_payment", order, broker, gross, s, o);
    }
    add(
        at,
        1,
        "broker_costs",
        order,
        LedgerAccount.book(Kind.BROKER_COSTS, chainId, orderBook),
        c.costs(),
        s,
        o);
    add(
        at,
        2,
        redeem ? "payout" : "refund",
        order,
        wallet(redeem ? o.destination() : o.owner()),
        o.payout().orElseThrow(),
        s,
        o);
    add(
        at,
        3,
        "platform_fee",
        order,
        LedgerAccount.book(Kind.PLATFORM_FEES, chainId, orderBook),
        c.platformFee(),
        s,
        o);
    o.feeRecipient()
        .ifPresent(
            r ->
                add(
                    at,
                    4,
                    "developer_fee",
                    order,
                    LedgerAccount.book(Kind.DEVELOPER_FEES, chainId, r),
                    c.developerFee(),
                    s,
                    o));
    add(at, 5, "gas", order, LedgerAccount.book(Kind.GAS, chainId, orderBook), c.gas(), s, o);
    if (o.deposit().signum() > 0) {
      add(at, 6, "refund", order, wallet(o.depositor()), o.deposit().subtract(c.gas()), s, o);
    }
    LedgerAccount issuance = LedgerAccount.book(Kind.ISSUANCE, chainId, o.token());
    if (redeem) {
      add(at, 7, "burn", order, issuance, o.quantity(), o.token(), o);
    } else {
      add(at, 7, "issue", issuance, wallet(o.destination()), o.quantity(), o.token(), o);
    }
  }

  private void cancelled(Order o, LogPosition at) {
    LedgerAccount order = account(o);
    if (o.side() == OrderSide.REDEEM) {
      add(at, 0, "refund", order, wallet(o.owner()), o.quantity(), o.token(), o);
    }
    if (o.locked().signum() > 0) {
      add(at, 1, "refund", order, wallet(o.owner()), o.locked(), o.currency(), o);
    }
    if (o.deposit().signum() > 0) {
      add(at, 2, "refund", order, wallet(o.depositor()), o.deposit(), o.currency(), o);
    }
  }

  private LedgerAccount account(Order o) {
    return LedgerAccount.order(chainId, o.lockHolder());
  }

  private LedgerAccount wallet(String address) {
    return LedgerAccount.wallet(chainId, address);
  }

  private void add(
      LogPosition at,
      int leg,
      String kind,
      LedgerAccount debit,
      LedgerAccount credit,
      BigInteger amount,
      String currency,
      Order o) {
    add(at, leg, kind, debit, credit, amount, currency, o.id(), o.owner());
  }

  private void add(
      LogPosition at,
      int leg,
      String kind,
      LedgerAccount debit,
      LedgerAccount credit,
      BigInteger amount,
      String currency,
      Long orderId,
      String wallet) {
    if (amount.signum() == 0) {
      return; // nothing moved: no entry (a zero fee, no gas charged)
    }
    if (amount.signum() < 0) {
      throw new IllegalStateException(
          "negative " + kind + " of " + amount + " at " + at + " on chain " + chainId);
    }
    entries.add(
        new Entry(
            baseId(at, leg),
            at,
            kind,
            debit,
            credit,
            amount,
            currency.toLowerCase(),
            orderId,
            wallet));
  }

  private String baseId(LogPosition at, int leg) {
    return Projection.hashId(
        "le_", chainId + ":" + at.blockHash() + ":" + at.logIndex() + ":" + leg);
  }

  /** Inserts the entries, each base under its next free id (earlier bookings were reversed). */
  private void write() {
    if (entries.isEmpty()) {
      return;
    }
    // Per base: how often it was booked, and whether a booking still stands (not reversed). A
    // standing booking makes this one a replay, which books nothing (at most one transfer per
    // source); otherwise the entry takes the next id of its base.
    Map<String, int[]> booked = new HashMap<>();
    h.createQuery(
            """
            SELECT e.base_id, count(*),
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM indexer.ledger_entries r WHERE r.reverses = e.entry_id))
            FROM indexer.ledger_entries e WHERE e.base_id = ANY(:b) GROUP BY 1""")
        .bindArray("b", String.class, entries.stream().map(Entry::baseId).toList())
        .map((rs, ctx) -> Map.entry(rs.getString(1), new int[] {rs.getInt(2), rs.getInt(3)}))
        .forEach(en -> booked.put(en.getKey(), en.getValue()));
    var batch =
        h.prepareBatch(
            """
            INSERT INTO indexer.ledger_entries (entry_id, base_id, chain_id, block_number, log_index, tx_hash, at,
              kind, debit_account, credit_account, amount, currency, order_id, wallet)
            VALUES (:id, :base, :c, :b, :i, :tx, :at, :kind, :debit, :credit, :amount, :currency, :order, :wallet)""");
    int rows = 0;
    for (Entry e : entries) {
      int[] seen = booked.getOrDefault(e.baseId(), new int[] {0, 0});
      if (seen[1] > 0) {
        continue;
      }
      int n = seen[0];
      rows++;
      batch
          .bind("id", e.baseId() + "." + n)
          .bind("base", e.baseId())
          .bind("c", chainId)
          .bind("b", e.at().blockNumber())
          .bind("i", e.at().logIndex())
          .bind("tx", e.at().txHash())
          .bind("at", Timestamp.from(times.get(e.at().blockNumber())))
          .bind("kind", e.kind())
          .bind("debit", e.debit().id())
          .bind("credit", e.credit().id())
          .bind("amount", new BigDecimal(e.amount()))
          .bind("currency", e.currency())
          .bind("order", e.orderId())
          .bind("wallet", e.wallet())
          .add();
    }
    if (rows > 0) {
      batch.execute();
    }
  }

  private Map<Long, Order> orders(Set<Long> ids) {
    Map<Long, Order> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    h.createQuery(
            """
            SELECT order_id, side, owner, token, payout_token, destination, quantity, locked, gas_sponsor,
              max_gas, developer_fee_recipient, developer_fee_bps, oco_peer, relayer, gross_notional, payout
            FROM indexer.orders WHERE chain_id = :c AND order_id = ANY(:ids)""")
        .bind("c", chainId)
        .bindArray("ids", Long.class, List.copyOf(ids))
        .map(
            (rs, ctx) -> {
              BigInteger maxGas = big(rs.getBigDecimal("max_gas"));
              boolean developerGas = "developer".equals(rs.getString("gas_sponsor"));
              long peer = rs.getLong("oco_peer");
              boolean hasPeer = !rs.wasNull();
              return new Order(
                  rs.getLong("order_id"),
                  StoredEnum.fromDb(OrderSide.class, rs.getString("side")),
                  rs.getString("owner"),
                  rs.getString("token"),
                  rs.getString("payout_token"),
                  rs.getString("destination"),
                  big(rs.getBigDecimal("quantity")),
                  big(rs.getBigDecimal("locked")),
                  developerGas ? maxGas : BigInteger.ZERO,
                  rs.getInt("developer_fee_bps") > 0
                      ? Optional.ofNullable(rs.getString("developer_fee_recipient"))
                      : Optional.empty(),
                  hasPeer ? Optional.of(peer) : Optional.empty(),
                  Optional.ofNullable(rs.getString("relayer")),
                  Optional.ofNullable(rs.getBigDecimal("gross_notional"))
                      .map(BigDecimal::toBigInteger),
                  Optional.ofNullable(rs.getBigDecimal("payout")).map(BigDecimal::toBigInteger));
            })
        .forEach(o -> out.put(o.id(), o));
    return out;
  }

  private static BigInteger big(BigDecimal d) {
    return d == null ? BigInteger.ZERO : d.toBigIntegerExact();
  }
}
