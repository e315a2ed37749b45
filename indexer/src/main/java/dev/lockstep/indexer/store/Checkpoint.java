package dev.lockstep.indexer.store;

import java.util.Optional;

/**
 * The last block whose rows are committed for a chain.
 *
 * @param chainId chain id
 * @param blockNumber last indexed block ({@code startBlock - 1} before the first batch)
 * @param blockHash its hash, or empty before the first batch
 * @param finalizedBlock highest block known final (-1 before any); rows at or below it are final
 * @param haltedReason why the chain stopped for an operator (a reorg deeper than finality), if it
 *     did
 */
public record Checkpoint(
    long chainId,
    long blockNumber,
    String blockHash,
    long finalizedBlock,
    Optional<String> haltedReason) {}
