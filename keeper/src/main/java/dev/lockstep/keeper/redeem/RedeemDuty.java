package dev.lockstep.keeper.redeem;

import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.broker.BrokerLeg;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.tx.ActionLog;
import dev.lockstep.keeper.tx.OrderBookClient;
import dev.lockstep.keeper.tx.OrderStatus;
import dev.lockstep.keeper.tx.TxOutcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keeper's redeem duties on one chain, run by a scheduled job and woken by the indexer:
 *
 * <ol>
 *   <li>promote QUEUED orders whose venue is open;
 *   <li>ask the broker to offset every ACTIVE order that has no broker leg yet;
 *   <li>settle ACTIVE orders whose leg filled, at the leg's gross notional;
 *   <li>cancel open orders whose leg failed or was cancelled (an integrator's cancel request), and
 *       orders whose settle reverted below their minimum notional.
 * </ol>
 *
 * Order state comes from the index and is re-checked on chain right before each transaction; an
 * order already moved by someone else is recorded {@code done_by_other} and never retried. Each
 * (order, action) is claimed in {@link ActionLog} first, so concurrent runs do not send it twice.
 */
public final class RedeemDuty {
  private static final Logger log = LoggerFactory.getLogger(RedeemDuty.class);
  private static final int BATCH = 200;

  private final long chainId;
  private final IndexReader index;
  private final PrimeBroker broker;
  private final OrderBookClient chain;
  private final ActionLog actions;
  private final VenueCalendar calendar;
  private final KeeperMetrics metrics;
  private final Clock clock;

  public RedeemDuty(long chainId, IndexReader index, PrimeBroker broker, OrderBookClient chain, ActionLog actions,
      VenueCalendar calendar, KeeperMetrics metrics, Clock clock) {
    this.chainId = chainId;
    this.index = index;
    this.broker = broker;
    this.chain = chain;
    this.actions = actions;
    this.calendar = calendar;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One pass over the chain's open orders. Safe to run concurrently with itself and on several daemons. */
  public void run() {
    Instant now = clock.instant();
    broker.poll(now);
    for (OrderRow o : index.ordersByStatus(chainId, "queued", BATCH)) {
      Optional<BrokerLeg> leg = broker.leg(chainId, o.orderId());
      if (leg.isPresent() && leg.get().status().equals("cancelled")) {
        cancel(o, "cancel requested");
      } else if (calendar.isOpen(o.symbol(), now)) {
        act(o, "promote", s -> s == OrderStatus.QUEUED, () -> chain.promote(o.orderId()));
      }
    }
    for (OrderRow o : index.ordersByStatus(chainId, "active", BATCH)) {
      Optional<BrokerLeg> leg = broker.leg(chainId, o.orderId());
      if (leg.isEmpty()) {
        broker.requestOffset(chainId, o.orderId(), o.symbol(), o.quantity(), now);
        metrics.offsetRequested();
        continue;
      }
      switch (leg.get().status()) {
        case "filled" -> settle(o, leg.get());
        case "failed" -> cancel(o, "broker leg failed: " + leg.get().failureReason().orElse("unknown"));
        case "cancelled" -> cancel(o, "cancel requested");
        default -> { } // pending: the fill has not arrived yet
      }
    }
  }

  private void settle(OrderRow o, BrokerLeg leg) {
    Optional<TxOutcome> out =
        act(o, "settle", s -> s == OrderStatus.ACTIVE, () -> chain.settle(o.orderId(), leg.grossNotional().orElseThrow()));
    if (out.isPresent() && out.get() instanceof TxOutcome.Reverted r && r.error().startsWith("OrderBookPayoutBelowMinimum")) {
      cancel(o, "settle reverted: " + r.error());
    }
  }

  private void cancel(OrderRow o, String why) {
    log.info("keeper chainId={} cancelling order {}: {}", chainId, o.orderId(), why);
    act(o, "cancel", OrderStatus::isOpen, () -> chain.cancel(o.orderId()));
  }

  private Optional<TxOutcome> act(OrderRow o, String action, Predicate<OrderStatus> expected, Send send) {
    Instant now = clock.instant();
    long id = o.orderId();
    if (!actions.claim(chainId, id, action, now)) {
      return Optional.empty();
    }
    try {
      OrderStatus onChain = chain.status(id);
      if (!expected.test(onChain)) {
        actions.record(chainId, id, action, "done_by_other", Optional.empty(), "on-chain status " + onChain, now);
        metrics.tx("done_by_other", action);
        return Optional.empty();
      }
      metrics.tx("submitted", action);
      TxOutcome out = send.send();
      switch (out) {
        case TxOutcome.Confirmed c -> {
          actions.record(chainId, id, action, "confirmed", Optional.of(c.txHash()), "block " + c.blockNumber(), clock.instant());
          metrics.tx("confirmed", action);
          log.info("keeper chainId={} {} order {} confirmed in block {} tx={}", chainId, action, id, c.blockNumber(), c.txHash());
        }
        case TxOutcome.Reverted r -> {
          actions.record(chainId, id, action, "reverted", Optional.ofNullable(r.txHash()), r.error(), clock.instant());
          metrics.tx("reverted", action);
          log.warn("keeper chainId={} {} order {} reverts: {}", chainId, action, id, r.error());
        }
      }
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      actions.record(chainId, id, action, "failed", Optional.empty(), e.toString(), clock.instant());
      metrics.tx("failed", action);
      log.warn("keeper chainId={} {} order {} failed (will retry): {}", chainId, action, id, e.toString());
      return Optional.empty();
    }
  }

  @FunctionalInterface
  private interface Send {
    TxOutcome send() throws IOException;
  }
}
