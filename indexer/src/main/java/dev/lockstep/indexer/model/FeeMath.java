package dev.lockstep.indexer.model;

import java.math.BigInteger;

/** The order book's fee arithmetic ({@code OrderBook.feeOf}), for everything that mirrors it. */
public final class FeeMath {
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  private FeeMath() {}

  /**
   * {@code ceil(amount * bps / 10,000)}: how the order book rounds every fee (up, its favour).
   *
   * @param amount stablecoin base units, at least 0
   * @param bps basis points, 0-10,000
   */
  public static BigInteger feeOf(BigInteger amount, int bps) {
    BigInteger[] qr = amount.multiply(BigInteger.valueOf(bps)).divideAndRemainder(BPS);
    return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
  }
}
