package dev.lockstep.indexer.model;

/**
 * The side of an indexed order (the contract's {@code OrderBook.Side}). Stored and shown as
 * lowercase text; it also names the order's events ({@code redeem.settled}, {@code mint.settled}).
 */
public enum OrderSide implements StoredEnum {
  /** Locks asset tokens; settles by burning them and paying stablecoin. */
  REDEEM,
  /** Locks stablecoin; settles by minting the asset (deploying its token on first use). */
  MINT;

  /** The contract's {@code Side} ordinal (REDEEM 0, MINT 1). */
  public static OrderSide ofChain(int ordinal) {
    return switch (ordinal) {
      case 0 -> REDEEM;
      case 1 -> MINT;
      default -> throw new IllegalArgumentException("no order side " + ordinal);
    };
  }
}
