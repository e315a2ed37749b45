package dev.lockstep.indexer.store;

import java.math.BigInteger;

/** A holder's indexed balance of one token on one chain, in base units. */
public record BalanceRow(long chainId, String token, String symbol, String kind, int decimals, String holder,
    BigInteger amount) {}
