package dev.lockstep.keeper.broker;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The broker's offset of one order's underlying.
 *
 * @param status {@code pending}, {@code filled}, {@code failed} or {@code cancelled}
 * @param grossNotional for a filled leg: proceeds in payout-stablecoin base units (1e-6 USD)
 * @param failureReason for a failed leg: the broker's reason
 */
public record BrokerLeg(
    long chainId,
    long orderId,
    String asset,
    BigInteger quantity,
    String status,
    Optional<BigInteger> grossNotional,
    Optional<String> failureReason) {}
