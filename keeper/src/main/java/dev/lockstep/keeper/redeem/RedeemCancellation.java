package dev.lockstep.keeper.redeem;

import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.keeper.broker.BrokerLeg;
import dev.lockstep.keeper.broker.PrimeBroker;
import java.time.Clock;

/**
 * An integrator's request to cancel an open redeem (POST /v1/redeems/{id}/cancel): the broker
 * offset is cancelled if it has not filled, and the keeper then cancels the order on chain, which
 * returns the locked tokens. Once the leg has filled the redeem is settling and can no longer be
 * cancelled. Idempotent: asking twice has the effect of asking once.
 */
public final class RedeemCancellation {
  private final PrimeBroker broker;
  private final Runnable wakeKeeper;
  private final Clock clock;

  public RedeemCancellation(PrimeBroker broker, Runnable wakeKeeper, Clock clock) {
    this.broker = broker;
    this.wakeKeeper = wakeKeeper;
    this.clock = clock;
  }

  /** Result of a cancel request. */
  public sealed interface Result {
    /**
     * The cancel is under way; the order turns {@code cancelled} once the keeper's tx is indexed.
     */
    record Accepted() implements Result {}

    /** The broker leg already filled; the redeem will settle. */
    record AlreadyFilled() implements Result {}
  }

  /**
   * Requests cancellation of {@code order}, which must be open (QUEUED or ACTIVE).
   *
   * @throws IllegalArgumentException if the order is already final
   */
  public Result request(OrderRow order) {
    if (!order.isOpen()) {
      throw new IllegalArgumentException("order " + order.orderId() + " is " + order.status());
    }
    BrokerLeg leg =
        broker.cancelOffset(
            order.chainId(), order.orderId(), order.symbol(), order.quantity(), clock.instant());
    if (leg.status().equals("filled")) {
      return new Result.AlreadyFilled();
    }
    wakeKeeper.run();
    return new Result.Accepted();
  }
}
