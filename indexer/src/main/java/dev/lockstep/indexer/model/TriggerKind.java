package dev.lockstep.indexer.model;

/**
 * What arms a trigger sell (the contract's {@code OrderBook.TriggerKind} without {@code NONE}).
 * Stored and shown as lowercase text.
 */
public enum TriggerKind implements StoredEnum {
  /** Triggers when the asset's 30 s TWAP is at or below the trigger price; sells at the market. */
  STOP_LOSS,
  /**
   * Triggers when the asset's 30 s TWAP is at or above the trigger price; settles only at a fill of
   * at least that price.
   */
  TAKE_PROFIT;

  /** The contract's ordinal (STOP_LOSS 1, TAKE_PROFIT 2). */
  public static TriggerKind ofChain(int ordinal) {
    return switch (ordinal) {
      case 1 -> STOP_LOSS;
      case 2 -> TAKE_PROFIT;
      default -> throw new IllegalArgumentException("no trigger kind " + ordinal);
    };
  }

  /** The contract's ordinal. */
  public int chainValue() {
    return ordinal() + 1;
  }
}
