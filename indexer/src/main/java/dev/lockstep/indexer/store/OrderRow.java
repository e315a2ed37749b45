package dev.lockstep.indexer.store;

import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * An indexed order. Amounts are base units: {@code quantity} of the asset token (1e-6 share),
 * notionals and payout of the payout stablecoin (1e-6 USD).
 *
 * @param status the order's lifecycle status
 * @param symbol the asset token's symbol
 * @param payoutSymbol the payout stablecoin's symbol
 * @param updatedBlock block of the order's latest lifecycle event
 * @param isFinal whether that block is at or below the chain's finalized block (the order's current
 *     state can no longer be undone by a reorg)
 */
public record OrderRow(
    long chainId,
    long orderId,
    OrderSide side,
    OrderStatus status,
    String owner,
    String token,
    String symbol,
    BigInteger quantity,
    String payoutToken,
    String payoutSymbol,
    BigInteger minNotional,
    String destination,
    Optional<BigInteger> grossNotional,
    Optional<BigInteger> payout,
    Optional<String> cancelledBy,
    long createdBlock,
    String createdTx,
    Instant createdAt,
    Optional<String> closedTx,
    Optional<Instant> closedAt,
    long updatedBlock,
    boolean isFinal) {

  /** Whether the order can still change (QUEUED or ACTIVE). */
  public boolean isOpen() {
    return status.isOpen();
  }
}
