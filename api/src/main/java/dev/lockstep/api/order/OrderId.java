package dev.lockstep.api.order;

import dev.lockstep.indexer.model.OrderSide;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An order's public id: {@code mnt_<chainId>_<orderId>} for a mint, {@code rdm_<chainId>_<orderId>}
 * for a redeem: the type prefix, then the chain and the on-chain order id, so an id is stable
 * across re-indexing and means the same order everywhere, whether a wallet created the order on
 * chain or the API placed it from a settlement wallet.
 */
public record OrderId(OrderSide side, long chainId, long orderId) {
  private static final Pattern FORMAT = Pattern.compile("(mnt|rdm)_(\\d{1,19})_(\\d{1,19})");

  /** The id's type prefix for {@code side}. */
  public static String prefix(OrderSide side) {
    return side == OrderSide.MINT ? "mnt" : "rdm";
  }

  /**
   * Parses an id of either side; empty if it is not of the form {@code <prefix>_<chain>_<order>}.
   */
  public static Optional<OrderId> parse(String id) {
    var m = FORMAT.matcher(id);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new OrderId(
              m.group(1).equals("mnt") ? OrderSide.MINT : OrderSide.REDEEM,
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Parses an id of {@code side} only. */
  public static Optional<OrderId> parse(OrderSide side, String id) {
    return parse(id).filter(o -> o.side() == side);
  }

  @Override
  public String toString() {
    return prefix(side) + "_" + chainId + "_" + orderId;
  }
}
