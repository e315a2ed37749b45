package dev.lockstep.indexer.rpc;

/**
 * JSON-RPC {@code QUANTITY} values (0x-prefixed hex without leading zeros) as longs. web3j's own
 * {@code Numeric.decodeQuantity} throws and catches an exception and compiles a regex on every
 * call, which a backfill would pay per log.
 */
public final class Quantity {
  private Quantity() {}

  /**
   * Parses {@code hex}.
   *
   * @throws IllegalArgumentException if {@code hex} is null, lacks the 0x prefix, is not hex, or
   *     does not fit in 63 bits
   */
  public static long parse(String hex) {
    if (hex == null || hex.length() < 3 || hex.length() > 18 || hex.charAt(0) != '0'
        || (hex.charAt(1) != 'x' && hex.charAt(1) != 'X')) {
      throw new IllegalArgumentException("not a JSON-RPC quantity: " + hex);
    }
    try {
      return Long.parseLong(hex, 2, hex.length(), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a JSON-RPC quantity: " + hex, e);
    }
  }
}
