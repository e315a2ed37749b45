package dev.lockstep.keeper.broker;

import dev.lockstep.indexer.model.StoredEnum;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * A local prime broker for the sandbox and tests, its state in table {@code keeper.broker_legs} so
 * it survives restarts. Each offset fills (executes) {@code fillDelay} after it is requested at the
 * configured mark price of its asset (gross notional = quantity x mark, rounded down to a base
 * unit), or fails if a failure was injected for that asset with {@link #injectFailure} before the
 * request. An asset with no mark price fails with reason {@code no_mark_price}. A fill then clears
 * when {@code clearing} says (the venue's cycle: T+1 for US equities, T+2 for bonds, the next
 * dealing day for private credit, or a fixed delay the sandbox compresses them to); the order
 * settles after that.
 */
public final class SimulatedBroker implements PrimeBroker {
  /** How long a fill attestation stays valid after the fill. */
  public static final Duration ATTESTATION_VALIDITY = Duration.ofDays(30);

  private final Jdbi jdbi;
  private final java.util.function.Function<String, Optional<BigDecimal>> marks;
  private final Duration fillDelay;
  private final org.web3j.crypto.Credentials attester;
  private final Clearing clearing;
  private final java.time.Clock clock;

  /** When a fill of an asset executed at a time clears. */
  @FunctionalInterface
  public interface Clearing {
    Instant clearsAt(String asset, Instant executedAt);

    /** Every fill clears as it executes. */
    static Clearing immediate() {
      return (asset, executedAt) -> executedAt;
    }
  }

  /** A broker whose fills clear as they execute. */
  public SimulatedBroker(
      Jdbi jdbi,
      Map<String, BigDecimal> markPricesUsd,
      Duration fillDelay,
      org.web3j.crypto.Credentials attester) {
    this(
        jdbi,
        asset -> Optional.ofNullable(markPricesUsd.get(asset)),
        fillDelay,
        attester,
        Clearing.immediate(),
        java.time.Clock.systemUTC());
  }

  /**
   * @param marks the current price of one share of an asset, in USD (the price feed's mark): an
   *     offset fills at the mark of when it was requested
   * @param fillDelay time from request to fill or failure
   * @param clearing when a fill clears (the venue calendar's {@code clearsAt}, or a fixed delay)
   * @param clock what an attestation's validity counts from (the sandbox's clock moves with its
   *     chains' time)
   */
  public SimulatedBroker(
      Jdbi jdbi,
      java.util.function.Function<String, Optional<BigDecimal>> marks,
      Duration fillDelay,
      org.web3j.crypto.Credentials attester,
      Clearing clearing,
      java.time.Clock clock) {
    this.clock = clock;
    this.clearing = clearing;
    this.jdbi = jdbi;
    this.marks = marks;
    this.fillDelay = fillDelay;
    this.attester = attester;
  }

  /** The address of the key the simulated broker attests fills with. */
  public String attesterAddress() {
    return attester.getAddress();
  }

  /**
   * Signs the fill with the simulated broker's attester key: gross notional as filled, no costs,
   * valid {@link #ATTESTATION_VALIDITY} from its first signing by this daemon (the keeper stores
   * the settle's call data with its intent, so a later signing never changes a decided settle).
   */
  @Override
  public dev.lockstep.contracts.FillAttestation attestation(BrokerLeg filled, String orderBook) {
    if (filled.status() != LegStatus.FILLED || filled.grossNotional().isEmpty()) {
      throw new IllegalArgumentException(
          "order " + filled.orderId() + " has no fill to attest: " + filled.status());
    }
    return dev.lockstep.contracts.FillAttestation.sign(
        attester,
        filled.chainId(),
        orderBook,
        filled.orderId(),
        filled.quantity(),
        filled.grossNotional().get(),
        BigInteger.ZERO,
        clock.instant().plus(ATTESTATION_VALIDITY).getEpochSecond());
  }

  private volatile boolean attestsReserves = true;

  /**
   * Whether this broker's reserve attester answers ({@link #reserveReport}); off, it signs no
   * report, as when the broker's attestation service is down (fault injection for tests; this
   * daemon only).
   */
  public void attestReserves(boolean on) {
    attestsReserves = on;
  }

  /** Makes the next {@code count} offsets of {@code asset} fail with {@code reason}. */
  public void injectFailure(String asset, int count, String reason) {
    if (count < 1) throw new IllegalArgumentException("count must be >= 1");
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO keeper.broker_failures (asset, remaining, reason) VALUES (:a, :n, :r)")
                .bind("a", asset)
                .bind("n", count)
                .bind("r", reason)
                .execute());
  }

  @Override
  public void requestOffset(
      long chainId,
      long orderId,
      dev.lockstep.indexer.model.OrderSide side,
      String asset,
      BigInteger quantity,
      Instant now) {
    jdbi.useTransaction(
        h -> {
          if (leg(h, chainId, orderId).isPresent()) {
            return;
          }
          Optional<String> injected =
              h.createQuery(
                      """
              UPDATE keeper.broker_failures SET remaining = remaining - 1
              WHERE id = (SELECT id FROM keeper.broker_failures WHERE asset = :a AND remaining > 0
                          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
              RETURNING reason""")
                  .bind("a", asset)
                  .mapTo(String.class)
                  .findOne();
          BigDecimal mark = marks.apply(asset).orElse(null);
          Optional<String> failure =
              injected.or(() -> mark == null ? Optional.of("no_mark_price") : Optional.empty());
          BigInteger gross =
              mark == null
                  ? null
                  : new BigDecimal(quantity)
                      .multiply(mark)
                      .setScale(0, RoundingMode.DOWN)
                      .toBigIntegerExact();
          Instant executes = now.plus(fillDelay);
          insert(
              h,
              chainId,
              orderId,
              asset,
              quantity,
              LegStatus.PENDING,
              failure.isPresent() ? LegStatus.FAILED : LegStatus.FILLED,
              mark,
              failure.isPresent() ? null : gross,
              failure.orElse(null),
              now,
              executes,
              failure.isPresent() ? null : clearing.clearsAt(asset, executes));
          h.createUpdate(
                  "UPDATE keeper.broker_legs SET side = :s WHERE chain_id = :c AND order_id = :o")
              .bind("s", side.dbValue())
              .bind("c", chainId)
              .bind("o", orderId)
              .execute();
        });
  }

  /**
   * Executions (mints bought, redeems sold) up to {@code cutoff}, plus custody deposits and
   * adjustments up to then ({@link #deposit}).
   */
  @Override
  public java.util.Map<String, BigInteger> positions(long chainId, Instant cutoff) {
    java.util.Map<String, BigInteger> out = new java.util.TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    """
                    SELECT asset, sum(q) FROM (
                      SELECT asset, CASE WHEN side = 'mint' THEN quantity ELSE -quantity END AS q
                      FROM keeper.broker_legs
                      WHERE chain_id = :c AND status = 'filled' AND side IS NOT NULL AND resolves_at <= :t
                      UNION ALL
                      SELECT asset, quantity FROM keeper.broker_custody WHERE chain_id = :c AND at <= :t) x
                    GROUP BY asset""")
                .bind("c", chainId)
                .bind("t", Timestamp.from(cutoff))
                .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getBigDecimal(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue().toBigIntegerExact())));
    return out;
  }

  /**
   * Signs, with the simulated broker's attester key, its custody of {@code asset} on {@code
   * chainId} as of {@code asOf}: filled legs whose execution cleared by then (mints bought, less
   * redeems sold) plus custody deposits and adjustments up to then.
   */
  @Override
  public Optional<dev.lockstep.contracts.ReserveReport> reserveReport(
      long chainId, String asset, String token, String feed, Instant asOf, long round) {
    if (!attestsReserves) {
      return Optional.empty();
    }
    BigDecimal custody =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT coalesce(sum(q), 0) FROM (
                          SELECT CASE WHEN side = 'mint' THEN quantity ELSE -quantity END AS q
                          FROM keeper.broker_legs
                          WHERE chain_id = :c AND asset = :a AND status = 'filled' AND side IS NOT NULL
                            AND coalesce(clears_at, resolves_at) <= :t
                          UNION ALL
                          SELECT quantity FROM keeper.broker_custody
                          WHERE chain_id = :c AND asset = :a AND at <= :t) x""")
                    .bind("c", chainId)
                    .bind("a", asset)
                    .bind("t", Timestamp.from(asOf))
                    .mapTo(BigDecimal.class)
                    .one());
    return Optional.of(
        dev.lockstep.contracts.ReserveReport.sign(
            attester,
            chainId,
            feed,
            token,
            custody.max(BigDecimal.ZERO).toBigIntegerExact(),
            asOf.getEpochSecond(),
            round));
  }

  @Override
  public java.util.Set<Long> executedBy(
      long chainId, java.util.Collection<Long> orderIds, Instant cutoff) {
    if (orderIds.isEmpty()) {
      return java.util.Set.of();
    }
    return new java.util.HashSet<>(
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT order_id FROM keeper.broker_legs
                        WHERE chain_id = :c AND order_id = ANY(:ids) AND status = 'filled' AND resolves_at <= :t""")
                    .bind("c", chainId)
                    .bindArray("ids", Long.class, java.util.List.copyOf(orderIds))
                    .bind("t", Timestamp.from(cutoff))
                    .mapTo(Long.class)
                    .list()));
  }

  /**
   * Records shares the broker holds (or, negative, no longer holds) of {@code asset} on {@code
   * chainId} outside order legs, from now (the broker's clock): opening custody of holdings seeded
   * on chain by the factory's minter, or an adjustment (a test injecting a mismatch).
   */
  public void deposit(long chainId, String asset, BigInteger quantity, String reason) {
    Instant at = clock.instant();
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO keeper.broker_custody (chain_id, asset, quantity, at, reason)
                    VALUES (:c, :a, :q, :at, :r)""")
                .bind("c", chainId)
                .bind("a", asset)
                .bind("q", new BigDecimal(quantity))
                .bind("at", Timestamp.from(at))
                .bind("r", reason)
                .execute());
  }

  @Override
  public void poll(Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            UPDATE keeper.broker_legs SET status = outcome, resolved_at = :now
            WHERE status = 'pending' AND resolves_at <= :now""")
                .bind("now", Timestamp.from(now))
                .execute());
  }

  @Override
  public List<dev.lockstep.ports.OrderDesk.Fill> fills(Instant from, Instant to, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT chain_id, order_id, gross_notional, resolved_at FROM keeper.broker_legs
            WHERE status = 'filled' AND resolved_at >= :from AND resolved_at < :to
            ORDER BY resolved_at, chain_id, order_id LIMIT :n""")
                .bind("from", Timestamp.from(from))
                .bind("to", Timestamp.from(to))
                .bind("n", limit)
                .map(
                    (rs, ctx) ->
                        new dev.lockstep.ports.OrderDesk.Fill(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getBigDecimal(3).toBigIntegerExact(),
                            rs.getTimestamp(4).toInstant()))
                .list());
  }

  @Override
  public Optional<Instant> nextAnswerDue(long chainId, Instant now) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT min(t) FROM (
              SELECT min(resolves_at) AS t FROM keeper.broker_legs WHERE chain_id = :c AND status = 'pending'
              UNION ALL
              SELECT min(clears_at) FROM keeper.broker_legs
              WHERE chain_id = :c AND status = 'filled' AND clears_at > :now) due""")
                .bind("c", chainId)
                .bind("now", Timestamp.from(now))
                .mapTo(java.sql.Timestamp.class)
                .findOne()
                .map(java.sql.Timestamp::toInstant));
  }

  @Override
  public Optional<BrokerLeg> leg(long chainId, long orderId) {
    return jdbi.withHandle(h -> leg(h, chainId, orderId));
  }

  @Override
  public java.util.Map<Long, BrokerLeg> legsOf(long chainId, java.util.Collection<Long> orderIds) {
    java.util.Map<Long, BrokerLeg> out = new java.util.HashMap<>();
    if (orderIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM keeper.broker_legs WHERE chain_id = :c AND order_id = ANY(:ids)")
                .bind("c", chainId)
                .bindArray("ids", Long.class, List.copyOf(orderIds))
                .map((rs, ctx) -> map(rs))
                .forEach(l -> out.put(l.orderId(), l)));
    return out;
  }

  @Override
  public List<BrokerLeg> legs(long chainId, LegStatus status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM keeper.broker_legs WHERE chain_id = :c AND status = :s"
                        + " ORDER BY requested_at, order_id LIMIT "
                        + limit)
                .bind("c", chainId)
                .bind("s", status.dbValue())
                .map((rs, ctx) -> map(rs))
                .list());
  }

  @Override
  public BrokerLeg cancelOffset(
      long chainId, long orderId, String asset, BigInteger quantity, Instant now) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate(
                  """
              UPDATE keeper.broker_legs SET status = 'cancelled', outcome = 'cancelled', resolved_at = :now
              WHERE chain_id = :c AND order_id = :id AND status = 'pending'""")
              .bind("now", Timestamp.from(now))
              .bind("c", chainId)
              .bind("id", orderId)
              .execute();
          if (leg(h, chainId, orderId).isEmpty()) {
            insert(
                h,
                chainId,
                orderId,
                asset,
                quantity,
                LegStatus.CANCELLED,
                LegStatus.CANCELLED,
                null,
                null,
                null,
                now,
                now,
                null);
          }
          return leg(h, chainId, orderId).orElseThrow();
        });
  }

  private static void insert(
      Handle h,
      long chainId,
      long orderId,
      String asset,
      BigInteger quantity,
      LegStatus status,
      LegStatus outcome,
      @Nullable BigDecimal mark,
      @Nullable BigInteger gross,
      @Nullable String reason,
      Instant requested,
      Instant resolves,
      @Nullable Instant clears) {
    h.createUpdate(
            """
            INSERT INTO keeper.broker_legs (chain_id, order_id, asset, quantity, status, outcome, mark_price,
              gross_notional, failure_reason, requested_at, resolves_at, clears_at)
            VALUES (:c, :id, :a, :q, :s, :o, :m, :g, :r, :req, :res, :clr) ON CONFLICT DO NOTHING""")
        .bind("c", chainId)
        .bind("id", orderId)
        .bind("a", asset)
        .bind("q", new BigDecimal(quantity))
        .bind("s", status.dbValue())
        .bind("o", outcome.dbValue())
        .bind("m", mark)
        .bind("g", gross == null ? null : new BigDecimal(gross))
        .bind("r", reason)
        .bind("req", Timestamp.from(requested))
        .bind("res", Timestamp.from(resolves))
        .bind("clr", clears == null ? null : Timestamp.from(clears))
        .execute();
  }

  private static Optional<BrokerLeg> leg(Handle h, long chainId, long orderId) {
    return h.createQuery("SELECT * FROM keeper.broker_legs WHERE chain_id = :c AND order_id = :id")
        .bind("c", chainId)
        .bind("id", orderId)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** Maps a row; a pending leg's outcome is the broker's secret until it resolves. */
  private static BrokerLeg map(ResultSet rs) throws SQLException {
    LegStatus status = StoredEnum.fromDb(LegStatus.class, rs.getString("status"));
    boolean revealed = status != LegStatus.PENDING;
    BigDecimal gross = revealed ? rs.getBigDecimal("gross_notional") : null;
    return new BrokerLeg(
        rs.getLong("chain_id"),
        rs.getLong("order_id"),
        rs.getString("asset"),
        rs.getBigDecimal("quantity").toBigIntegerExact(),
        status,
        Optional.ofNullable(gross).map(BigDecimal::toBigIntegerExact),
        Optional.ofNullable(revealed ? rs.getString("failure_reason") : null),
        Optional.ofNullable(revealed ? rs.getTimestamp("clears_at") : null)
            .map(Timestamp::toInstant));
  }
}
