package dev.lockstep.indexer.store;

/**
 * The last block whose rows are committed for a chain.
 *
 * @param chainId chain id
 * @param blockNumber last indexed block ({@code startBlock - 1} before the first batch)
 * @param blockHash its hash, or empty before the first batch
 */
public record Checkpoint(long chainId, long blockNumber, String blockHash) {}
