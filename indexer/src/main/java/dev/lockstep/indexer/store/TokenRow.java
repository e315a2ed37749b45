package dev.lockstep.indexer.store;

import dev.lockstep.indexer.model.TokenKind;
import java.math.BigInteger;

/**
 * A token the indexer follows on one chain.
 *
 * @param kind factory-deployed asset, or a configured stablecoin or ERC-20
 * @param totalSupply indexed total supply in base units
 */
public record TokenRow(
    long chainId,
    String address,
    String symbol,
    TokenKind kind,
    int decimals,
    BigInteger totalSupply,
    long firstBlock) {}
