package dev.lockstep.ports;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Each tenant's custodial settlement wallet in this daemon's environment (reference platform-docs
 * "Sandbox funding"): the address API orders draw from and deliver to by default. Its key is held
 * behind the keeper's signer interface and is never stored: the built-in implementation derives it
 * from the configured seed. Implemented by the keeper, wired by the daemon, so that {@code api}
 * never imports {@code keeper}. Thread-safe.
 */
public interface SettlementWallets {
  /** Whole units of each stablecoin a new sandbox tenant's wallet starts with on every chain. */
  BigInteger SANDBOX_GRANT_UNITS = BigInteger.valueOf(1_000_000);

  /**
   * The tenant's settlement wallet: its 0x address (lowercase). Derived, so asking changes nothing.
   *
   * @throws IllegalStateException if this daemon has no settlement wallets configured
   */
  String walletOf(String tenantId);

  /**
   * Records the tenant's wallet on first use and, in the sandbox, gives it its opening grant:
   * {@link #SANDBOX_GRANT_UNITS} of every stablecoin on every chain, and gas. Called by the paths
   * that spend from the wallet (the faucet, orders) and for the sandbox's own tenant at start;
   * later calls do nothing.
   *
   * @return the wallet's address
   */
  String ensureFunded(String tenantId);

  /** Whether this daemon holds settlement wallets (a seed is configured). */
  boolean configured();

  /**
   * Sandbox only: mints {@code baseUnits} of the stablecoin {@code currency} on chain {@code
   * chainId} to the tenant's settlement wallet (granting it first if it is new, and topping up its
   * gas).
   *
   * @return the stablecoin mint's transaction hash
   * @throws UnsupportedOperationException outside the sandbox, or without a faucet key
   * @throws IllegalArgumentException for a currency the chain does not carry
   */
  String faucet(String tenantId, String currency, long chainId, BigInteger baseUnits);

  /**
   * Sandbox only: mints {@code baseUnits} of the stablecoin {@code currency} to the order book on
   * {@code chainId}, topping up its payout pool (a redeem waiting in {@code filled} for liquidity
   * settles on the keeper's next round).
   *
   * @return the stablecoin mint's transaction hash
   * @throws UnsupportedOperationException outside the sandbox, or without a faucet key
   * @throws IllegalArgumentException for a currency the chain does not carry, or a chain without an
   *     order book
   */
  String faucetPayoutPool(String currency, long chainId, BigInteger baseUnits);

  /** The stablecoin symbols the faucet can mint on {@code chainId}, if it knows the chain. */
  Optional<List<String>> faucetCurrencies(long chainId);
}
