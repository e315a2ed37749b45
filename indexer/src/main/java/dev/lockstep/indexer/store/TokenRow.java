package dev.lockstep.indexer.store;

import java.math.BigInteger;

/**
 * A token the indexer follows on one chain.
 *
 * @param kind {@code asset} (factory-deployed) or {@code stablecoin} (configured)
 * @param totalSupply indexed total supply in base units
 */
public record TokenRow(
    long chainId,
    String address,
    String symbol,
    String kind,
    int decimals,
    BigInteger totalSupply,
    long firstBlock) {}
