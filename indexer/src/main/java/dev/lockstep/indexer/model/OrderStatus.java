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
  CANCELLED,
  /**
   * A trigger sell (stop-loss, take-profit, an OCO leg) waiting for its condition; the keeper's
   * trigger makes it ACTIVE (QUEUED out of session).
   */
  ARMED;

  /**
   * The contract's {@code Status} ordinal (QUEUED 1, ACTIVE 2, SETTLED 3, CANCELLED 4, ARMED 5).
   */
  public static OrderStatus ofChain(int ordinal) {
    return switch (ordinal) {
      case 1 -> QUEUED;
      case 2 -> ACTIVE;
      case 3 -> SETTLED;
      case 4 -> CANCELLED;
      case 5 -> ARMED;
      default -> throw new IllegalArgumentException("no order status " + ordinal);
    };
  }

  /** Whether the order can still change on chain (ARMED, QUEUED or ACTIVE). */
  public boolean isOpen() {
    return this == QUEUED || this == ACTIVE || this == ARMED;
  }

  /** Whether the order is closed for good (SETTLED or CANCELLED). */
  public boolean isClosed() {
    return !isOpen();
  }
}
