package dev.lockstep.indexer.rpc;

import java.time.Instant;

/**
 * The parts of a block header the indexer keeps: enough to chain blocks by parent hash.
 *
 * @param number block number
 * @param hash block hash, lowercase 0x-hex
 * @param parentHash parent block hash, lowercase 0x-hex
 * @param timestamp block timestamp
 */
public record BlockHeader(long number, String hash, String parentHash, Instant timestamp) {}
