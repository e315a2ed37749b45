package dev.lockstep.indexer;

/**
 * Root of the indexer's unchecked exceptions. {@link #retryable()} tells the caller whether the
 * same step may succeed later (an RPC timeout, a node that is behind) or needs an operator (a fork
 * the indexer cannot follow, a corrupt checkpoint).
 */
public class IndexerException extends RuntimeException {
  private final boolean retryable;

  public IndexerException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public IndexerException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /** Whether retrying the same step later may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
