package dev.lockstep.api.order;

import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.OrderRow;
import java.util.Optional;

/** How an order is priced: at the market, or within a limit until it expires. */
public enum OrderType implements StoredEnum {
  /** Routed when its venue is in session, at the mark, within its slippage bound. */
  MARKET,
  /**
   * Routed once the mark crosses its {@code limit_price} (at or above for a redeem, at or below for
   * a mint); settles on chain only at a fill that meets the limit, and not after {@code good_till}.
   */
  LIMIT;

  /**
   * A limit order's bound as the API shows it.
   *
   * @param priceUsdc USD per share, 6 decimals
   */
  public record Limit(String priceUsdc, java.time.Instant goodTill) {}

  static OrderType of(OrderRow o) {
    return o.limit().isPresent() ? LIMIT : MARKET;
  }

  static Optional<Limit> limitOf(OrderRow o) {
    return o.limit().map(l -> new Limit(OrderMoney.usdc(l.price()), l.goodTill()));
  }
}
