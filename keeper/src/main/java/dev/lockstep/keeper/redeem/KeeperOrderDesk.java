package dev.lockstep.keeper.redeem;

import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.keeper.broker.BrokerLeg;
import dev.lockstep.keeper.broker.LegStatus;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.ports.OrderDesk;
import java.time.Clock;

/**
 * The keeper's {@link OrderDesk}. A redeem cancel (POST /v1/redeems/{id}/cancel) cancels the broker
 * offset if it has not filled, then wakes the keeper, which cancels the order on chain and so
 * returns the locked tokens. Once the leg has filled the redeem is settling and can no longer be
 * cancelled. Idempotent: asking twice has the effect of asking once. Thread-safe when the broker
 * is.
 */
public final class KeeperOrderDesk implements OrderDesk {
  private final PrimeBroker broker;
  private final Runnable wakeKeeper;
  private final Clock clock;

  public KeeperOrderDesk(PrimeBroker broker, Runnable wakeKeeper, Clock clock) {
    this.broker = broker;
    this.wakeKeeper = wakeKeeper;
    this.clock = clock;
  }

  @Override
  public CancelOutcome cancelRedeem(OrderRow order) {
    if (!order.isOpen()) {
      throw new IllegalArgumentException(
          "order " + order.orderId() + " is " + order.status().dbValue());
    }
    BrokerLeg leg =
        broker.cancelOffset(
            order.chainId(), order.orderId(), order.symbol(), order.quantity(), clock.instant());
    if (leg.status() == LegStatus.FILLED) {
      return new CancelOutcome.AlreadyFilled();
    }
    wakeKeeper.run();
    return new CancelOutcome.Accepted();
  }
}
