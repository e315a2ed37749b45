package dev.lockstep.keeper.tx;

/**
 * {@code OrderBook.Status} as the contract holds it, in the contract's enum order (with {@code
 * NONE}).
 */
public enum ChainOrderStatus {
  NONE,
  QUEUED,
  ACTIVE,
  SETTLED,
  CANCELLED,
  ARMED;

  /** Whether the order can still change on chain. */
  public boolean isOpen() {
    return this == QUEUED || this == ACTIVE || this == ARMED;
  }
}
