package dev.lockstep.keeper.broker;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The broker's offset of one order's underlying.
 *
 * @param status where the offset stands
 * @param grossNotional for a filled leg: proceeds in payout-stablecoin base units (1e-6 USD)
 * @param failureReason for a failed leg: the broker's reason
 */
public record BrokerLeg(
    long chainId,
    long orderId,
    String asset,
    BigInteger quantity,
    LegStatus status,
    Optional<BigInteger> grossNotional,
    Optional<String> failureReason) {}
