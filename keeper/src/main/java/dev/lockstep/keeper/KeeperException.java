package dev.lockstep.keeper;

/**
 * Root of the keeper's unchecked exceptions, split by what the caller should do: {@link
 * #retryable()} is true when the next round may succeed (a node that timed out or answered an
 * error, a database that is briefly gone), false when it will not until something changes (a call
 * the signer policy forbids, a setting out of range).
 */
public class KeeperException extends RuntimeException {
  private final boolean retryable;

  public KeeperException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public KeeperException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /** Whether retrying the same round later may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
