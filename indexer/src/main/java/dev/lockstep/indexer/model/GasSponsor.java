package dev.lockstep.indexer.model;

/**
 * Who pays an order's settle gas (the contract's {@code OrderBook.GasSponsor}; reference
 * redeem-flow "Configurable gas sponsor"). Stored and shown as lowercase text.
 */
public enum GasSponsor implements StoredEnum {
  /** Deducted from the order's own money: redeem proceeds, or a mint's lock. */
  USER_NOTIONAL,
  /** Taken from a deposit the order's creator (the developer's wallet) locked beside the order. */
  DEVELOPER;

  /** The contract's {@code GasSponsor} ordinal (USER_NOTIONAL 0, DEVELOPER 1). */
  public static GasSponsor ofChain(int ordinal) {
    return switch (ordinal) {
      case 0 -> USER_NOTIONAL;
      case 1 -> DEVELOPER;
      default -> throw new IllegalArgumentException("no gas sponsor " + ordinal);
    };
  }
}
