package dev.lockstep.keeper.tx;

import java.util.Optional;

/**
 * The OrderBook's custom errors that the keeper acts on, by their Solidity names (see {@code
 * contracts/src/OrderBook.sol}). A reverted intent keeps its decoded error's name ({@link
 * Intent#revertError()}); this maps it back to a type.
 */
public enum OrderBookError {
  /** {@code OrderBookOrderNotQueued(orderId, status)}: promote of an order that is not QUEUED. */
  ORDER_NOT_QUEUED("OrderBookOrderNotQueued"),
  /** {@code OrderBookOrderNotActive(orderId, status)}: settle of an order that is not ACTIVE. */
  ORDER_NOT_ACTIVE("OrderBookOrderNotActive"),
  /**
   * {@code OrderBookOrderNotArmed(orderId, status)}: trigger of an order no longer ARMED (triggered
   * or cancelled by then).
   */
  ORDER_NOT_ARMED("OrderBookOrderNotArmed"),
  /** {@code OrderBookOrderNotOpen(orderId, status)}: cancel of a closed order. */
  ORDER_NOT_OPEN("OrderBookOrderNotOpen"),
  /**
   * {@code OrderBookPayoutBelowMinimum(orderId, payout, minNotional)}: the net payout is below the
   * order's slippage bound; the keeper cancels the order instead.
   */
  PAYOUT_BELOW_MINIMUM("OrderBookPayoutBelowMinimum"),
  /**
   * {@code OrderBookNotionalAboveMaximum(orderId, notional, maxNotional)}: a mint's fill costs more
   * than the order's maximum; the keeper cancels the order instead (its lock is refunded).
   */
  NOTIONAL_ABOVE_MAXIMUM("OrderBookNotionalAboveMaximum"),
  /**
   * {@code OrderBookInsufficientLiquidity(payoutToken, available, required)}: the payout pool holds
   * less than a redeem's settle pays; the settle waits for a top-up and is tried again.
   */
  INSUFFICIENT_LIQUIDITY("OrderBookInsufficientLiquidity"),
  /**
   * {@code OrderBookFillExpired(orderId, expiry)}: the fill attestation expired before the settle
   * was mined; the next try carries a freshly signed one.
   */
  FILL_EXPIRED("OrderBookFillExpired"),
  /**
   * {@code OrderBookLimitNotMet(orderId, grossNotional, bound)}: a limit order's fill is worse than
   * its limit; the keeper cancels the order instead.
   */
  LIMIT_NOT_MET("OrderBookLimitNotMet"),
  /**
   * {@code OrderBookOrderExpired(orderId, goodTill)}: a limit order's {@code goodTill} passed; it
   * can only be cancelled now.
   */
  ORDER_EXPIRED("OrderBookOrderExpired"),
  /**
   * {@code AssetTokenMintPaused()} (raised by the token through the factory): a mint's settle while
   * a reconciliation break pauses its token's minting; tried again (backing off) until an operator
   * clears the break.
   */
  MINT_PAUSED("AssetTokenMintPaused"),
  /**
   * {@code AssetTokenFactoryReserveExceeded(symbol, supplyAfter, reserve)}: a mint's settle would
   * take the token's supply above its proof-of-reserve feed's answer; tried again (backing off)
   * once the broker's custody is reported.
   */
  RESERVE_EXCEEDED("AssetTokenFactoryReserveExceeded"),
  /**
   * {@code AssetTokenFactoryReserveStale(symbol, updatedAt, maxAge)}: the token's reserve is older
   * than the factory's {@code maxReserveAge}; tried again (backing off) once a fresh one is
   * reported.
   */
  RESERVE_STALE("AssetTokenFactoryReserveStale");

  /** Whether a settle reverted with this error can never succeed at that fill: cancel instead. */
  public boolean fillOutOfBounds() {
    return this == PAYOUT_BELOW_MINIMUM
        || this == NOTIONAL_ABOVE_MAXIMUM
        || this == LIMIT_NOT_MET
        || this == ORDER_EXPIRED;
  }

  /**
   * Whether a settle that reverted with this error is tried again later, as a new generation with a
   * fresh attestation: the pool may be topped up, an expired attestation re-signed.
   */
  public boolean settleRetries() {
    return this == INSUFFICIENT_LIQUIDITY
        || this == FILL_EXPIRED
        || this == MINT_PAUSED
        || this == RESERVE_EXCEEDED
        || this == RESERVE_STALE;
  }

  private final String solidityName;

  OrderBookError(String solidityName) {
    this.solidityName = solidityName;
  }

  /** The error's name in the contract. */
  public String solidityName() {
    return solidityName;
  }

  /** The error named {@code solidityName}, if it is one of these. */
  public static Optional<OrderBookError> named(String solidityName) {
    for (OrderBookError e : values()) {
      if (e.solidityName.equals(solidityName)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
