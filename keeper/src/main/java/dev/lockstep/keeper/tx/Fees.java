package dev.lockstep.keeper.tx;

import java.math.BigInteger;

/**
 * EIP-1559 fees of one transaction, in wei per gas.
 *
 * @param maxFeePerGas the most the sender pays per gas (base fee + tip)
 * @param maxPriorityFeePerGas the tip to the block producer
 */
public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
  private static final BigInteger HUNDRED = BigInteger.valueOf(100);

  /**
   * The fees a replacement of a transaction that paid {@code this} must at least pay: both raised
   * by {@code percent}, rounded up, and never below {@code market}.
   */
  public Fees bumped(int percent, Fees market) {
    return new Fees(
        raise(maxFeePerGas, percent).max(market.maxFeePerGas),
        raise(maxPriorityFeePerGas, percent).max(market.maxPriorityFeePerGas));
  }

  private static BigInteger raise(BigInteger v, int percent) {
    BigInteger[] qr = v.multiply(BigInteger.valueOf(100L + percent)).divideAndRemainder(HUNDRED);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  /** Whether both fees are within {@code capWei} (the tip never above the fee cap). */
  public boolean within(BigInteger capWei) {
    return maxFeePerGas.compareTo(capWei) <= 0;
  }
}
