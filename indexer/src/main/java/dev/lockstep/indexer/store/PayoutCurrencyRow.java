package dev.lockstep.indexer.store;

/**
 * A stablecoin an order book currently accepts as payout (its latest PayoutCurrencySet said so).
 *
 * @param chainId chain id
 * @param token stablecoin address
 * @param symbol its symbol, if the index knows the token
 * @param decimals its decimals, if known (else 0)
 */
public record PayoutCurrencyRow(long chainId, String token, String symbol, int decimals) {}
