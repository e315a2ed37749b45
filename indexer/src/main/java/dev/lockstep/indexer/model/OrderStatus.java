package dev.lockstep.indexer.model;

/**
 * The lifecycle status of an indexed order (reference redeem-flow "Order lifecycle"; the contract's
 * {@code OrderBook.Status} without {@code NONE}). Stored and shown as lowercase text.
 */
public enum OrderStatus implements StoredEnum {
  /** Created out of session; waits for the keeper to promote it when the venue opens. */
  QUEUED,
  /** In session: the broker leg may run; the keeper settles or cancels it. */
  ACTIVE,
  /** Closed: tokens burnt, payout paid. */
  SETTLED,
  /** Closed: tokens returned to the owner. */
  CANCELLED;

  /** Whether the order can still change on chain (QUEUED or ACTIVE). */
  public boolean isOpen() {
    return this == QUEUED || this == ACTIVE;
  }

  /** Whether the order is closed for good (SETTLED or CANCELLED). */
  public boolean isClosed() {
    return !isOpen();
  }
}
