package dev.lockstep.api.order;

import dev.lockstep.api.Amounts;
import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.store.OrderRow;
import java.util.Optional;

/**
 * The money parts every order resource shows, from the terms fixed at creation and what the settle
 * charged; amounts are decimal USD stablecoin strings (6 decimals), absent until known.
 */
public final class OrderMoney {
  private OrderMoney() {}

  /** The platform fee: the order's basis points, and the amount once settled. */
  public record PlatformFee(int bps, Optional<String> amountUsdc) {}

  /** The developer fee: basis points, where it accrues, and the amount once settled. */
  public record DeveloperFee(int amountBps, String destination, Optional<String> amountUsdc) {}

  /** What the settle cost: the broker's costs and the gas charged to the order. */
  public record Cost(Optional<String> brokerUsdc, Optional<String> gasUsdc) {}

  /** Who pays gas and the most the order book charges. */
  public record Gas(GasSponsor sponsor, String maxGasUsdc) {}

  static PlatformFee platformFee(OrderRow o) {
    return new PlatformFee(
        o.terms().map(OrderRow.Terms::platformFeeBps).orElse(0),
        o.charges().map(c -> usdc(c.platformFee())));
  }

  static Optional<DeveloperFee> developerFee(OrderRow o) {
    return o.terms()
        .filter(t -> t.developerFeeBps() > 0 && t.developerFeeRecipient().isPresent())
        .map(
            t ->
                new DeveloperFee(
                    t.developerFeeBps(),
                    t.developerFeeRecipient().get(),
                    o.charges().map(c -> usdc(c.developerFee()))));
  }

  static Cost cost(OrderRow o) {
    return new Cost(o.charges().map(c -> usdc(c.costs())), o.charges().map(c -> usdc(c.gas())));
  }

  static Gas gas(OrderRow o) {
    return new Gas(
        o.terms().map(OrderRow.Terms::gasSponsor).orElse(GasSponsor.USER_NOTIONAL),
        usdc(o.maxGas()));
  }

  static String usdc(java.math.BigInteger baseUnits) {
    return Amounts.format(baseUnits, 6);
  }
}
