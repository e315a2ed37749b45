package dev.lockstep.api.order;

import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.OrderDesk.BrokerProgress;
import dev.lockstep.ports.OrderDesk.LegState;
import java.util.Optional;

/**
 * An order's status as the API names it (reference platform-docs "Mint" state machine, "Redeem"
 * settlement timing), from the on-chain status and the broker leg:
 *
 * <ul>
 *   <li>{@code armed}: a trigger sell (stop-loss, take-profit, an OCO leg) waiting for the asset's
 *       30 s TWAP to reach its price (on-chain ARMED);
 *   <li>{@code triggered}: a trigger sell whose trigger fired, not yet filled by the broker
 *       (on-chain QUEUED or ACTIVE);
 *   <li>{@code queued}: on chain, not yet filled by the broker (on-chain QUEUED or ACTIVE);
 *   <li>{@code filled}: the broker filled it; the fill clears on the venue's cycle ({@code
 *       clears_at}), then the settle transaction goes out, or a redeem waits for payout liquidity;
 *   <li>{@code settled}: settled on chain (terminal);
 *   <li>{@code failed}: cancelled on chain because the broker rejected the leg or its fill fell
 *       outside the order's bound; the lock was refunded whole (terminal, with {@link
 *       FailureReason});
 *   <li>{@code cancelled}: cancelled on request (the API's cancel, or the owner's own {@code
 *       userCancel} after the recovery window), or an OCO leg whose other leg triggered first (or
 *       was cancelled: a pair goes together); refunded whole (terminal).
 * </ul>
 */
public enum OrderState implements StoredEnum {
  ARMED,
  TRIGGERED,
  QUEUED,
  FILLED,
  SETTLED,
  FAILED,
  CANCELLED;

  /** Why an order {@link #FAILED}. */
  public enum FailureReason implements StoredEnum {
    /** The broker rejected the leg (its words are in {@code failure_detail}). */
    BROKER_REJECTED,
    /** The fill's price fell outside the order's slippage bound (maximum or minimum notional). */
    PRICE_OUTSIDE_BOUND,
    /** The keeper cancelled it with no broker answer on record (an operator's decision). */
    CANCELLED_BY_OPERATOR,
    /**
     * A limit order whose {@code good_till} passed before the mark crossed its limit: the keeper
     * cancelled it and everything it locked went back.
     */
    LIMIT_EXPIRED,
    /**
     * A trigger sell whose {@code good_till} passed before it triggered and filled: the keeper
     * cancelled it and everything it locked went back.
     */
    TRIGGER_EXPIRED
  }

  /**
   * The state, and for a failed order why, with the broker's words where it gave some; for a filled
   * order, when its execution clears.
   */
  public record View(
      OrderState state,
      Optional<FailureReason> reason,
      Optional<String> failureDetail,
      Optional<java.time.Instant> clearsAt) {
    View(OrderState state, Optional<FailureReason> reason, Optional<String> failureDetail) {
      this(state, reason, failureDetail, Optional.empty());
    }
  }

  /** The view of {@code o}, whose broker leg (if any) is {@code leg}. */
  public static View of(OrderRow o, Optional<BrokerProgress> leg) {
    Optional<LegState> s = leg.map(BrokerProgress::state);
    return switch (o.status()) {
      case SETTLED -> plain(SETTLED);
      case ARMED -> plain(ARMED);
      case QUEUED, ACTIVE ->
          s.filter(l -> l == LegState.FILLED).isPresent()
              ? new View(FILLED, Optional.empty(), Optional.empty(), leg.get().clearsAt())
              : plain(o.trigger().isPresent() ? TRIGGERED : QUEUED);
      case CANCELLED -> {
        boolean byOwner = o.cancelledBy().filter(b -> b.equalsIgnoreCase(o.owner())).isPresent();
        if (byOwner || s.filter(l -> l == LegState.CANCELLED).isPresent()) {
          yield plain(CANCELLED);
        }
        if (s.filter(l -> l == LegState.FAILED).isPresent()) {
          yield new View(
              FAILED, Optional.of(FailureReason.BROKER_REJECTED), leg.get().failureReason());
        }
        if (s.filter(l -> l == LegState.FILLED).isPresent()) {
          yield new View(
              FAILED,
              Optional.of(FailureReason.PRICE_OUTSIDE_BOUND),
              Optional.of("the broker's fill fell outside the order's slippage bound"));
        }
        boolean expired =
            o.goodTill()
                .filter(t -> o.closedAt().filter(c -> c.isAfter(t)).isPresent())
                .isPresent();
        if (o.trigger().isPresent() && expired) {
          yield new View(
              FAILED,
              Optional.of(FailureReason.TRIGGER_EXPIRED),
              Optional.of("good_till " + o.goodTill().get() + " passed"));
        }
        if (o.trigger().flatMap(OrderRow.Trigger::ocoPeer).isPresent()
            && o.trigger().get().mark().isEmpty()) {
          yield plain(CANCELLED); // its OCO peer triggered first, or the pair was cancelled
        }
        if (expired) {
          yield new View(
              FAILED,
              Optional.of(FailureReason.LIMIT_EXPIRED),
              Optional.of("good_till " + o.limit().get().goodTill() + " passed"));
        }
        yield new View(FAILED, Optional.of(FailureReason.CANCELLED_BY_OPERATOR), Optional.empty());
      }
    };
  }

  private static View plain(OrderState s) {
    return new View(s, Optional.empty(), Optional.empty());
  }
}
