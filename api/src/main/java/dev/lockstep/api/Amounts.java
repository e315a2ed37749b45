package dev.lockstep.api;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Amounts at the API edge: integer base units shown as decimal strings with the token's decimals
 * ("4.000000").
 */
public final class Amounts {
  private Amounts() {}

  /**
   * {@code baseUnits} scaled down by {@code decimals}, as a plain decimal string with exactly
   * {@code decimals} places.
   */
  public static String format(BigInteger baseUnits, int decimals) {
    return new BigDecimal(baseUnits, decimals).toPlainString();
  }
}
