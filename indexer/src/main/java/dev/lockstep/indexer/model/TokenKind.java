package dev.lockstep.indexer.model;

/** What an indexed ERC-20 is. Stored lowercase in {@code indexer.tokens.kind}. */
public enum TokenKind implements StoredEnum {
  /** A per-asset token the factory deployed (discovered from {@code TokenDeployed}). */
  ASSET,
  /** A configured payout stablecoin (USDC, USDT). */
  STABLECOIN,
  /** Any other configured ERC-20. */
  ERC20
}
