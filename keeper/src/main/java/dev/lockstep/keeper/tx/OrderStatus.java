package dev.lockstep.keeper.tx;

/** OrderBook.Status, in the contract's enum order. */
public enum OrderStatus {
  NONE,
  QUEUED,
  ACTIVE,
  SETTLED,
  CANCELLED;

  /** Whether the order can still change on chain. */
  public boolean isOpen() {
    return this == QUEUED || this == ACTIVE;
  }
}
