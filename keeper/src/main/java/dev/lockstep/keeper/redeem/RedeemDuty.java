package dev.lockstep.keeper.redeem;

import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.broker.BrokerLeg;
import dev.lockstep.keeper.broker.LegStatus;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.tx.Intent;
import dev.lockstep.keeper.tx.IntentStatus;
import dev.lockstep.keeper.tx.IntentStore;
import dev.lockstep.keeper.tx.NewIntent;
import dev.lockstep.keeper.tx.OrderBookCalls;
import dev.lockstep.keeper.tx.OrderBookError;
import dev.lockstep.keeper.tx.TxAction;
import dev.lockstep.keeper.tx.TxEngine;
import dev.lockstep.ports.VenueCalendar;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keeper's redeem duties on one chain, run by the keeper job and woken by the indexer:
 *
 * <ol>
 *   <li>set the book's session flag (new orders start ACTIVE or QUEUED) when its venue opens or
 *       closes ({@link SessionFlag});
 *   <li>trigger ARMED trigger sells whose price the asset's 30 s TWAP crossed (at or below a
 *       stop-loss's, at or above a take-profit's; a stale mark triggers nothing), the book
 *       cancelling an OCO leg's peer in the same transaction;
 *   <li>promote QUEUED orders whose venue is open;
 *   <li>ask the broker to offset every ACTIVE order that has no broker leg yet, while its asset's
 *       venue is in session (an order of a venue that is closed waits, shown {@code queued}) and,
 *       for a limit order, once the mark has crossed its limit (at or above it for a redeem, at or
 *       below for a mint);
 *   <li>cancel open limit and trigger orders past their {@code goodTill} (they can no longer settle
 *       on chain), an OCO pair once (through its stop-loss leg);
 *   <li>settle ACTIVE orders whose leg filled and cleared (the venue's clearing cycle), at the
 *       leg's gross notional;
 *   <li>cancel open orders whose leg failed or was cancelled (an integrator's cancel request), and
 *       orders whose settle reverted below their minimum notional;
 *   <li>sweep developer fees once a day ({@link dev.lockstep.keeper.fees.FeeSweeper#daily});
 *   <li>reconcile the chain's supply with the broker once a day, pausing and resuming minting as
 *       breaks open and clear ({@link dev.lockstep.keeper.recon.DailyReconciliation#round}).
 * </ol>
 *
 * Each decision becomes an intent of the {@link TxEngine} with the idempotency key {@code
 * <action>:<chain>:<order>:<generation>}; deciding the same thing again finds the intent and does
 * nothing. Only an intent that {@code failed} (voided by a no-op, nonce lost) is followed by a new
 * generation, after {@code retryAfter}. The engine simulates each call first, so an order already
 * moved by someone else ends {@code done_by_other} without a transaction.
 */
public final class RedeemDuty {
  private static final Logger log = LoggerFactory.getLogger(RedeemDuty.class);
  private static final int BATCH = 5_000;

  private final long chainId;
  private final String orderBook;
  private final IndexReader index;
  private final PrimeBroker broker;
  private final TxEngine engine;
  private final IntentStore intents;
  private final VenueCalendar calendar;
  private final KeeperMetrics metrics;
  private final Duration retryAfter;
  private final Clock clock;
  private final WakeAt wakeAt;
  private final java.util.function.BooleanSupplier sessionOnChain;
  private final dev.lockstep.ports.PriceFeed prices;
  private final dev.lockstep.keeper.fees.FeeSweeper feeSweeper;
  private final Books books;

  /**
   * The last session transition found done on chain or enqueued (no read needed until the next).
   */
  private volatile String sessionChecked = "";

  /**
   * How long after a settle reverted for want of payout liquidity (or with an expired attestation)
   * the next one is tried.
   */
  static final Duration SETTLE_RETRY = Duration.ofSeconds(2);

  /** Most time between two settle tries of an order waiting for liquidity. */
  static final Duration SETTLE_RETRY_MAX = Duration.ofMinutes(1);

  /** The wait after the settle of generation {@code generation} reverted: 2 s doubling to 1 min. */
  static Duration settleRetry(int generation) {
    Duration d = SETTLE_RETRY.multipliedBy(1L << Math.min(10, Math.max(0, generation - 1)));
    return d.compareTo(SETTLE_RETRY_MAX) > 0 ? SETTLE_RETRY_MAX : d;
  }

  private final dev.lockstep.keeper.price.GasCost gasCost;

  /**
   * The books' part of a chain's keeper round: the daily reconciliation and its pauses, and the
   * proof-of-reserve feeds that bound mint settles.
   */
  public interface Books {
    /** After the round's orders were decided. */
    void round(long chainId);

    /**
     * Of the mint settles a round is about to send ({@code settling}: quantity per asset symbol),
     * the assets whose settles wait for a later round (a fresher reserve is on its way).
     */
    java.util.Set<String> holdMints(long chainId, Map<String, BigInteger> settling);
  }

  /** Asks for a keeper round of a chain at a given time (a broker answer is due then). */
  @FunctionalInterface
  public interface WakeAt {
    void at(long chainId, Instant when);
  }

  public RedeemDuty(
      long chainId,
      String orderBook,
      IndexReader index,
      PrimeBroker broker,
      TxEngine engine,
      IntentStore intents,
      VenueCalendar calendar,
      KeeperMetrics metrics,
      Duration retryAfter,
      WakeAt wakeAt,
      dev.lockstep.keeper.price.GasCost gasCost,
      java.util.function.BooleanSupplier sessionOnChain,
      dev.lockstep.ports.PriceFeed prices,
      dev.lockstep.keeper.fees.FeeSweeper feeSweeper,
      Books books,
      Clock clock) {
    this.feeSweeper = feeSweeper;
    this.books = books;
    this.prices = prices;
    this.sessionOnChain = sessionOnChain;
    this.wakeAt = wakeAt;
    this.gasCost = gasCost;
    this.chainId = chainId;
    this.orderBook = orderBook;
    this.index = index;
    this.broker = broker;
    this.engine = engine;
    this.intents = intents;
    this.calendar = calendar;
    this.metrics = metrics;
    this.retryAfter = retryAfter;
    this.clock = clock;
  }

  /** Where this duty's rounds are counted. */
  public KeeperMetrics metrics() {
    return metrics;
  }

  /** The engine that sends this duty's transactions. */
  public TxEngine engine() {
    return engine;
  }

  /**
   * One pass over the chain's open orders. Safe to run concurrently with itself and on several
   * daemons.
   */
  public void run() {
    Instant now = clock.instant();
    broker.poll(now);
    List<OrderRow> queued = index.ordersByStatus(chainId, OrderStatus.QUEUED, BATCH);
    List<OrderRow> active = index.ordersByStatus(chainId, OrderStatus.ACTIVE, BATCH);
    List<OrderRow> armed = index.ordersByStatus(chainId, OrderStatus.ARMED, BATCH);
    List<Long> ids = new ArrayList<>();
    armed.forEach(o -> ids.add(o.orderId()));
    queued.forEach(o -> ids.add(o.orderId()));
    active.forEach(o -> ids.add(o.orderId()));
    Map<Long, BrokerLeg> legs = broker.legsOf(chainId, ids);
    Round round = new Round(ids);
    syncSession(now);
    // Whether each asset's venue is in session now, computed once per venue this round (not per
    // order: a round may hold thousands).
    Map<String, Boolean> venueOpen = new HashMap<>();
    java.util.function.Predicate<String> open =
        symbol ->
            venueOpen.computeIfAbsent(
                calendar.venueOf(symbol).id(), v -> calendar.sessionAt(v, now).isPresent());
    for (OrderRow o : armed) {
      Optional<BrokerLeg> leg = Optional.ofNullable(legs.get(o.orderId()));
      if (leg.isPresent() && leg.get().status() == LegStatus.CANCELLED) {
        cancel(round, o, "cancel requested");
      } else if (expired(o, now)) {
        // One cancel closes an OCO pair: the stop-loss leg's (the lower id) cancels its peer.
        if (o.trigger().flatMap(OrderRow.Trigger::ocoPeer).filter(p -> p < o.orderId()).isEmpty()) {
          cancel(round, o, "trigger order past its good_till " + o.goodTill().get());
        }
      } else {
        triggerMark(o, now)
            .ifPresent(
                mark -> {
                  if (intend(
                      round,
                      o,
                      TxAction.TRIGGER,
                      () -> OrderBookCalls.trigger(o.orderId(), mark))) {
                    log.info(
                        "keeper chainId={} triggering {} order {} at a 30 s TWAP of {} per share",
                        chainId,
                        o.trigger().get().kind().dbValue(),
                        o.orderId(),
                        mark);
                  }
                });
      }
    }
    for (OrderRow o : queued) {
      Optional<BrokerLeg> leg = Optional.ofNullable(legs.get(o.orderId()));
      if (leg.isPresent() && leg.get().status() == LegStatus.CANCELLED) {
        cancel(round, o, "cancel requested");
      } else if (expired(o, now)) {
        cancel(round, o, "order past its good_till " + o.goodTill().get());
      } else if (open.test(o.symbol())) {
        intend(round, o, TxAction.PROMOTE, () -> OrderBookCalls.promote(o.orderId()));
      }
    }
    List<Map.Entry<OrderRow, BrokerLeg>> mintSettles = new ArrayList<>();
    for (OrderRow o : active) {
      Optional<BrokerLeg> leg = Optional.ofNullable(legs.get(o.orderId()));
      if (leg.isEmpty()) {
        if (expired(o, now)) {
          cancel(round, o, "order past its good_till " + o.goodTill().get());
          continue;
        }
        if (!open.test(o.symbol()) || !limitCrossed(o)) {
          continue; // its venue is closed, or its limit not reached: routed later
        }
        broker.requestOffset(chainId, o.orderId(), o.side(), o.symbol(), o.quantity(), now);
        metrics.offsetRequested();
        continue;
      }
      switch (leg.get().status()) {
        case FILLED -> {
          if (!leg.get().clearedBy(now)) {
            continue; // the execution clears later (the venue's cycle): the order stays filled
          }
          if (o.side() == OrderSide.MINT) {
            mintSettles.add(Map.entry(o, leg.get())); // after the reserve feeds are looked at
          } else {
            settle(round, o, leg.get());
          }
        }
        case FAILED ->
            cancel(round, o, "broker leg failed: " + leg.get().failureReason().orElse("unknown"));
        case CANCELLED -> cancel(round, o, "cancel requested");
        case PENDING -> {} // the fill has not arrived yet
      }
    }
    settleMints(round, mintSettles);
    engine.submitAll(round.decided);
    try {
      feeSweeper.daily();
    } catch (RuntimeException e) {
      log.warn("keeper chainId={} daily fee sweep (retried next round): {}", chainId, e.toString());
    }
    try {
      books.round(chainId);
    } catch (RuntimeException e) {
      log.warn("keeper chainId={} reconciliation (retried next round): {}", chainId, e.toString());
    }
    metrics.waitingLiquidity(chainId, round.waitingLiquidity);
    broker.nextAnswerDue(chainId, now).ifPresent(due -> wakeAt.at(chainId, due));
  }

  /** Whether {@code o} is a limit or trigger order whose {@code goodTill} has passed. */
  private static boolean expired(OrderRow o, Instant now) {
    return o.goodTill().filter(now::isAfter).isPresent();
  }

  /**
   * The mark at which ARMED order {@code o} triggers now, stablecoin base units per whole share:
   * the asset's 30 s TWAP when it is at or below a stop-loss's price or at or above a
   * take-profit's, and the latest mark is fresh; empty otherwise.
   */
  private Optional<BigInteger> triggerMark(OrderRow o, Instant now) {
    if (o.trigger().isEmpty()) {
      return Optional.empty();
    }
    OrderRow.Trigger t = o.trigger().get();
    if (prices.mark(o.symbol()).filter(m -> !m.staleAt(now)).isEmpty()) {
      return Optional.empty();
    }
    return prices
        .twap(o.symbol(), dev.lockstep.ports.PriceFeed.TWAP_WINDOW)
        .map(p -> p.movePointRight(6).setScale(0, java.math.RoundingMode.DOWN).toBigInteger())
        .filter(
            m ->
                t.kind() == dev.lockstep.indexer.model.TriggerKind.STOP_LOSS
                    ? m.compareTo(t.price()) <= 0
                    : m.compareTo(t.price()) >= 0);
  }

  /**
   * Whether {@code o} may be routed at the asset's current mark: a market order always; a limit
   * redeem once the mark is at or above its limit, a limit mint at or below (a stale or missing
   * mark routes nothing).
   */
  private boolean limitCrossed(OrderRow o) {
    if (o.limit().isEmpty()) {
      return true;
    }
    BigInteger limit = o.limit().get().price();
    return prices
        .mark(o.symbol())
        .filter(m -> !m.staleAt(clock.instant()))
        .map(
            m -> {
              int c = m.priceUsd().movePointRight(6).compareTo(new java.math.BigDecimal(limit));
              return o.side() == dev.lockstep.indexer.model.OrderSide.REDEEM ? c >= 0 : c <= 0;
            })
        .orElse(false);
  }

  /**
   * Enqueues {@code setSessionOpen} when the flag the calendar wants differs from the book's, once
   * per transition (idempotency key {@link SessionFlag#intentKey}). The book's flag is read only
   * when the wanted transition changes; an unreadable flag is tried again next round.
   */
  private void syncSession(Instant now) {
    SessionFlag want = SessionFlag.of(calendar, calendar.venues().getFirst().id(), now);
    String key = want.intentKey(chainId);
    if (key.equals(sessionChecked)) {
      return;
    }
    boolean onChain;
    try {
      onChain = sessionOnChain.getAsBoolean();
    } catch (RuntimeException e) {
      log.warn("keeper chainId={} reading the book's session flag: {}", chainId, e.getMessage());
      return;
    }
    if (onChain != want.open()) {
      log.info(
          "keeper chainId={} setting the book's session {} (since {})",
          chainId,
          want.open() ? "open" : "closed",
          want.since());
      engine.submit(
          key,
          orderBook,
          OrderBookCalls.setSessionOpen(want.open()),
          TxAction.SET_SESSION,
          java.util.OptionalLong.empty());
    }
    sessionChecked = key;
  }

  /** The newest intents of this round's orders, read once per action. */
  private final class Round {
    private final List<Long> orderIds;
    private final Map<TxAction, Map<Long, Intent>> byAction = new HashMap<>();
    private final List<NewIntent> decided = new ArrayList<>();
    private int waitingLiquidity;

    Round(List<Long> orderIds) {
      this.orderIds = orderIds;
    }

    Optional<Intent> latest(long orderId, TxAction action) {
      return Optional.ofNullable(
          byAction.computeIfAbsent(action, a -> intents.latest(chainId, a, orderIds)).get(orderId));
    }
  }

  /**
   * Settles the filled, cleared mints the round found, but those of an asset whose reserve feed
   * would refuse them until a report on its way is mined (looked at again in a second).
   */
  private void settleMints(Round round, List<Map.Entry<OrderRow, BrokerLeg>> mints) {
    if (mints.isEmpty()) {
      return;
    }
    // What the round would settle, plus what it sent and is not mined yet (not in the supply).
    Map<String, BigInteger> settling = new HashMap<>();
    for (var m : mints) {
      Optional<Intent> latest = round.latest(m.getKey().orderId(), TxAction.SETTLE);
      if (latest.isEmpty()
          || switch (latest.get().status()) {
            case QUEUED, SUBMITTED, REVERTED, FAILED -> true;
            case MINED, CONFIRMED, DONE_BY_OTHER -> false; // in the supply already
          }) {
        settling.merge(m.getKey().symbol(), m.getKey().quantity(), BigInteger::add);
      }
    }
    java.util.Set<String> held = java.util.Set.of();
    try {
      held = books.holdMints(chainId, settling);
    } catch (RuntimeException e) {
      log.warn(
          "keeper chainId={} reserve feeds (mint settles go ahead): {}", chainId, e.toString());
    }
    for (var m : mints) {
      if (held.contains(m.getKey().symbol())) {
        wakeAt.at(chainId, clock.instant().plusSeconds(1));
      } else {
        settle(round, m.getKey(), m.getValue());
      }
    }
  }

  private void settle(Round round, OrderRow o, BrokerLeg leg) {
    Optional<Intent> settled = round.latest(o.orderId(), TxAction.SETTLE);
    Optional<OrderBookError> reverted =
        settled
            .filter(i -> i.status() == IntentStatus.REVERTED)
            .flatMap(Intent::revertError)
            .flatMap(OrderBookError::named);
    if (reverted.filter(OrderBookError::fillOutOfBounds).isPresent()) {
      cancel(round, o, "settle reverted: " + settled.get().outcome().get());
      return;
    }
    // A settle mined reverted without revert data (a receipt carries none) passed its simulation
    // and lost a race in its block (another settle took the reserve's headroom first): the next
    // generation's simulation names the error, and the rules above apply to it.
    boolean undecoded =
        settled
            .filter(i -> i.status() == IntentStatus.REVERTED && i.revertError().isEmpty())
            .isPresent();
    boolean retry = undecoded || reverted.filter(OrderBookError::settleRetries).isPresent();
    if (retry) {
      if (reverted.filter(e -> e == OrderBookError.INSUFFICIENT_LIQUIDITY).isPresent()) {
        round.waitingLiquidity++;
      }
      // The order stays filled on chain; the next generation goes out once the delay has passed
      // (only its simulation runs while the pool is still short: nothing is broadcast), backing
      // off from 2 s to a minute.
      Instant due = settled.get().createdAt().plus(settleRetry(settled.get().generation()));
      if (due.isAfter(clock.instant())) {
        wakeAt.at(chainId, due);
        return;
      }
      log.info(
          "keeper chainId={} settling order {} again: {}",
          chainId,
          o.orderId(),
          settled
              .get()
              .outcome()
              .orElse(reverted.map(OrderBookError::solidityName).orElse("reverted")));
    }
    // The settle's gas at the chain's current price, plus, for a holder's signed order another
    // wallet relayed, what the relay cost; the book charges at most the order's maxGas (zero for an
    // order created without a gas budget), which its creator agreed to (the holder signed it).
    intend(
        round,
        o,
        TxAction.SETTLE,
        retry,
        () ->
            OrderBookCalls.settle(
                broker.attestation(leg, orderBook),
                o.maxGas().signum() > 0
                    ? gasCost
                        .settleCost(chainId, o.side())
                        .add(gasCost.relayCharge(chainId, o.createdTx(), o.owner()))
                    : BigInteger.ZERO));
  }

  private void cancel(Round round, OrderRow o, String why) {
    if (intend(round, o, TxAction.CANCEL, () -> OrderBookCalls.cancel(o.orderId()))) {
      log.info("keeper chainId={} cancelling order {}: {}", chainId, o.orderId(), why);
    }
  }

  /** Enqueues (order, action) unless an intent for it exists; true if a new intent was enqueued. */
  private boolean intend(
      Round round, OrderRow o, TxAction action, java.util.function.Supplier<String> callData) {
    return intend(round, o, action, false, callData);
  }

  /**
   * As above; with {@code again}, a next generation also follows a reverted latest intent (the
   * caller decided its revert is worth another try).
   */
  private boolean intend(
      Round round,
      OrderRow o,
      TxAction action,
      boolean again,
      java.util.function.Supplier<String> callData) {
    Optional<Intent> latest = round.latest(o.orderId(), action);
    int generation = 1;
    if (latest.isPresent()) {
      Intent i = latest.get();
      boolean failedLongAgo =
          i.status() == IntentStatus.FAILED
              && !i.createdAt().plus(retryAfter).isAfter(clock.instant());
      if (!failedLongAgo && !(again && i.status() == IntentStatus.REVERTED)) {
        return false;
      }
      generation = i.generation() + 1;
    }
    round.decided.add(
        new NewIntent(
            action.dbValue() + ":" + chainId + ":" + o.orderId() + ":" + generation,
            orderBook,
            callData.get(),
            action,
            o.orderId(),
            generation));
    return true;
  }
}
