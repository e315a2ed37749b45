package dev.lockstep.indexer.store;

import dev.lockstep.indexer.model.TokenKind;
import java.math.BigInteger;

/**
 * A holder's indexed balance of one token on one chain, in base units.
 *
 * @param isFinal whether no transfer above the chain's finalized block touches it (a reorg can no
 *     longer change it)
 */
public record BalanceRow(
    long chainId,
    String token,
    String symbol,
    TokenKind kind,
    int decimals,
    String holder,
    BigInteger amount,
    boolean isFinal) {}
