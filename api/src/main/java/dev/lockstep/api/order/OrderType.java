package dev.lockstep.api.order;

import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.model.TriggerKind;
import dev.lockstep.indexer.store.OrderEventRow;
import dev.lockstep.indexer.store.OrderRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How an order is priced (reference redeem-flow "Limit and trigger sells"): at the market, within a
 * limit until it expires, or on a trigger (redeems only).
 */
public enum OrderType implements StoredEnum {
  /** Routed when its venue is in session, at the mark, within its slippage bound. */
  MARKET,
  /**
   * Routed once the mark crosses its {@code limit_price} (at or above for a redeem, at or below for
   * a mint); settles on chain only at a fill that meets the limit, and not after {@code good_till}.
   */
  LIMIT,
  /**
   * A sell armed until the asset's 30 s TWAP falls to its {@code stop_price}; then routed at the
   * market, within its slippage bound.
   */
  STOP_LOSS,
  /**
   * A sell armed until the asset's 30 s TWAP rises to its {@code take_profit_price}; then a limit
   * sell at that price.
   */
  TAKE_PROFIT,
  /**
   * One leg of a one-cancels-other pair over one lock (a stop-loss and a take-profit): the first
   * leg to trigger cancels the other on chain, so at most one fills.
   */
  OCO;

  /**
   * A limit order's bound as the API shows it.
   *
   * @param priceUsdc USD per share, 6 decimals
   */
  public record Limit(String priceUsdc, Instant goodTill) {}

  /**
   * A trigger sell's condition and, once it fired, how.
   *
   * @param kind {@code stop_loss} or {@code take_profit} (an OCO leg's own kind)
   * @param priceUsdc the trigger price, USD per share, 6 decimals
   * @param goodTill the last second it may trigger or settle; the keeper cancels it after
   * @param ocoPeerId the other leg of its OCO pair (a redeem id)
   * @param triggeredAt when the trigger fired on chain
   * @param triggeredMarkUsdc the 30 s TWAP it fired at, USD per share
   */
  public record Trigger(
      TriggerKind kind,
      String priceUsdc,
      Instant goodTill,
      Optional<String> ocoPeerId,
      Optional<Instant> triggeredAt,
      Optional<String> triggeredMarkUsdc) {}

  static OrderType of(OrderRow o) {
    if (o.trigger().isPresent()) {
      OrderRow.Trigger t = o.trigger().get();
      if (t.ocoPeer().isPresent()) {
        return OCO;
      }
      return t.kind() == TriggerKind.STOP_LOSS ? STOP_LOSS : TAKE_PROFIT;
    }
    return o.limit().isPresent() ? LIMIT : MARKET;
  }

  static Optional<Limit> limitOf(OrderRow o) {
    return o.limit().map(l -> new Limit(OrderMoney.usdc(l.price()), l.goodTill()));
  }

  static Optional<Trigger> triggerOf(OrderRow o, List<OrderEventRow> history) {
    return o.trigger()
        .map(
            t ->
                new Trigger(
                    t.kind(),
                    OrderMoney.usdc(t.price()),
                    t.goodTill(),
                    t.ocoPeer().map(p -> new OrderId(OrderSide.REDEEM, o.chainId(), p).toString()),
                    history.stream()
                        .filter(h -> h.event().equals("triggered"))
                        .reduce((a, b) -> b)
                        .map(OrderEventRow::at),
                    t.mark().map(OrderMoney::usdc)));
  }
}
