package dev.lockstep.indexer.sync;

/**
 * Told after the indexer commits or rolls back a chain (the keeper wakes on it). Called on the
 * chain's sync thread.
 */
public interface IndexListener {
  /**
   * Blocks up to {@code block} of {@code chainId} are committed.
   *
   * @param orderEvents whether the committed blocks hold order lifecycle events (created, promoted,
   *     settled, cancelled)
   */
  void onCommitted(long chainId, long block, boolean orderEvents);

  /**
   * {@code chainId} was rolled back to {@code ancestor}: rows above it are gone until re-indexed.
   */
  default void onRolledBack(long chainId, long ancestor) {
    onCommitted(chainId, ancestor, true);
  }
}
