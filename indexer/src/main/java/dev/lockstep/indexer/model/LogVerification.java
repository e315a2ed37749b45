package dev.lockstep.indexer.model;

/**
 * How far the indexer checks that an {@code eth_getLogs} answer is complete, per chain (a
 * load-balanced provider can leave logs out: graph-node#3891, subql#1999). Every mode also chains
 * block hashes and checks each log against its block's header.
 */
public enum LogVerification implements StoredEnum {
  /** No completeness check beyond hash chaining: only for a node you run and trust. */
  NONE,
  /**
   * The default: in every block of every range, a contract the block's logs bloom admits but that
   * has no log in the answer is asked again by block hash (EIP-234). Cheap (headers only); it
   * cannot see a log left out beside another log of the same contract in the same block.
   */
  BLOOM,
  /**
   * Exact: in every block the bloom admits for the followed contracts, the block's receipts ({@code
   * eth_getBlockReceipts}) are checked against the header's receipts root, and every log they hold
   * for the followed contracts must be in the answer. Costs about one more copy of those blocks'
   * logs over RPC.
   */
  RECEIPTS
}
