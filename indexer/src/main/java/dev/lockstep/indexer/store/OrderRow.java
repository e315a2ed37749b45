package dev.lockstep.indexer.store;

import dev.lockstep.indexer.model.GasSponsor;
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
 * @param terms fees and gas fixed at creation (empty for an order indexed before terms existed)
 * @param charges what the settle charged, once settled
 * @param limit a limit order's price and lifetime (empty for a market order; a take-profit's price,
 *     which the book enforces as a limit sell)
 * @param trigger a trigger sell's condition (empty for any other order)
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
    boolean isFinal,
    Optional<Terms> terms,
    Optional<Charges> charges,
    Optional<Limit> limit,
    Optional<Trigger> trigger) {

  /**
   * A trigger sell's condition ({@code OrderTriggerSet}) and, once it fired, how ({@code
   * OrderTriggered}).
   *
   * @param price stablecoin base units per whole share the asset's 30 s TWAP must reach
   * @param goodTill the last second it may trigger or settle on chain
   * @param ocoPeer the other leg of its OCO pair
   * @param mark the mark it triggered at (stablecoin base units per share), once triggered
   */
  public record Trigger(
      dev.lockstep.indexer.model.TriggerKind kind,
      BigInteger price,
      Instant goodTill,
      Optional<Long> ocoPeer,
      Optional<BigInteger> mark) {}

  /** The last second the order may settle (a limit's or a trigger's good-till), if it has one. */
  public Optional<Instant> goodTill() {
    return limit.map(Limit::goodTill).or(() -> trigger.map(Trigger::goodTill));
  }

  /**
   * A limit order's bound ({@code OrderLimitSet}).
   *
   * @param price stablecoin base units per whole share: a redeem settles at or above it, a mint at
   *     or below it
   * @param goodTill the last second the order may settle on chain
   */
  public record Limit(BigInteger price, Instant goodTill) {}

  /**
   * The order's fees and gas, fixed at creation ({@code OrderTermsSet}); amounts in stablecoin base
   * units.
   *
   * @param locked a mint's stablecoin lock (0 for a redeem)
   */
  public record Terms(
      int platformFeeBps,
      int developerFeeBps,
      Optional<String> developerFeeRecipient,
      GasSponsor gasSponsor,
      BigInteger maxGas,
      BigInteger locked) {}

  /**
   * What the settle charged ({@code OrderCharged}), stablecoin base units.
   *
   * @param costs the broker's costs in the fill
   * @param gas the settle's gas charged to the order
   */
  public record Charges(
      BigInteger costs, BigInteger platformFee, BigInteger developerFee, BigInteger gas) {}

  /** The order's gas cap, 0 when it was created without terms. */
  public BigInteger maxGas() {
    return terms.map(Terms::maxGas).orElse(BigInteger.ZERO);
  }

  /** Whether the order can still change (QUEUED or ACTIVE). */
  public boolean isOpen() {
    return status.isOpen();
  }
}
