package dev.lockstep.indexer.sync;

/**
 * Told after each committed batch, on the chain's sync thread, so that event-driven work (the
 * keeper) can wake at once instead of waiting for its next poll. Implementations must be quick and
 * must not throw.
 */
@FunctionalInterface
public interface IndexListener {
  /** Blocks up to {@code toBlock} of chain {@code chainId} are committed. */
  void onCommitted(long chainId, long toBlock);
}
