package dev.lockstep.keeper.broker;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The broker's offset of one order's underlying.
 *
 * @param status where the offset stands
 * @param grossNotional for a filled leg: proceeds in payout-stablecoin base units (1e-6 USD)
 * @param failureReason for a failed leg: the broker's reason
 * @param clearsAt for a filled leg: when the execution clears (the venue's clearing cycle), after
 *     which the order settles; empty when it cleared as it filled
 */
public record BrokerLeg(
    long chainId,
    long orderId,
    String asset,
    BigInteger quantity,
    LegStatus status,
    Optional<BigInteger> grossNotional,
    Optional<String> failureReason,
    Optional<java.time.Instant> clearsAt) {

  /** A leg whose execution clears as it fills. */
  public BrokerLeg(
      long chainId,
      long orderId,
      String asset,
      BigInteger quantity,
      LegStatus status,
      Optional<BigInteger> grossNotional,
      Optional<String> failureReason) {
    this(chainId, orderId, asset, quantity, status, grossNotional, failureReason, Optional.empty());
  }

  /** Whether a filled leg has cleared by {@code now}, so its order may settle. */
  public boolean clearedBy(java.time.Instant now) {
    return status == LegStatus.FILLED && clearsAt.map(c -> !c.isAfter(now)).orElse(true);
  }
}
