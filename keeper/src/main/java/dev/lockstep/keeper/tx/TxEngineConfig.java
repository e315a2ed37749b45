package dev.lockstep.keeper.tx;

import java.math.BigInteger;
import java.time.Duration;

/**
 * How the {@link TxEngine} of one chain sends.
 *
 * @param confirmations blocks on top of the including block before an intent is {@code confirmed}
 *     (1 = the including block itself)
 * @param maxFeePerGasCapWei cap on {@code maxFeePerGas}, in wei; fees never exceed it, even to
 *     replace
 * @param minPriorityFeeWei floor of the priority fee (tip), in wei
 * @param replaceAfter how long a transaction may stay unmined before it is replaced with higher
 *     fees
 * @param maxReplacements fee bumps before the last deadline; past it the nonce gets a no-op
 * @param bumpPercent fee increase of each replacement, in percent of the previous fees (geth and
 *     anvil accept a replacement only if both fees rise by at least 10%)
 * @param maxInFlight most transactions of the signer broadcast and not yet mined at once
 * @param gasHeadroomPercent added to {@code eth_estimateGas}, in percent
 * @param rebroadcastAfter an unmined transaction is broadcast again (same bytes) after this long,
 *     in case the node dropped it
 * @param leaseTtl how long a nonce lease lasts without renewal (a daemon that dies loses it then)
 * @param finalityDepth blocks after which a mined transaction is final: a {@code confirmed} (or
 *     mined-and-{@code reverted}) intent stays watched until its block is this deep, and goes back
 *     to {@code submitted}, its signed bytes broadcast again, if a deeper reorg removes it; the
 *     chain's {@code finality_depth} (at least {@code confirmations})
 * @param stuckAfter a signer with transactions in flight whose chain nonce has not moved for this
 *     long is reported stuck (health {@code degraded}, metric, one ERROR line)
 */
public record TxEngineConfig(
    int confirmations,
    BigInteger maxFeePerGasCapWei,
    BigInteger minPriorityFeeWei,
    Duration replaceAfter,
    int maxReplacements,
    int bumpPercent,
    int maxInFlight,
    int gasHeadroomPercent,
    Duration rebroadcastAfter,
    Duration leaseTtl,
    int finalityDepth,
    Duration stuckAfter) {
  public TxEngineConfig {
    if (confirmations < 1) throw new IllegalArgumentException("confirmations must be >= 1");
    if (bumpPercent < 10)
      throw new IllegalArgumentException("bump_percent must be >= 10 (nodes refuse less)");
    if (maxInFlight < 1) throw new IllegalArgumentException("max_in_flight must be >= 1");
    if (maxReplacements < 0) throw new IllegalArgumentException("max_replacements must be >= 0");
    if (finalityDepth < confirmations)
      throw new IllegalArgumentException("finality_depth must be >= confirmations");
  }

  /**
   * Defaults: 1 confirmation, 500 gwei cap, 1 gwei tip, replace after 15 s, 3 bumps of 25%, up to
   * 1,000 transactions in flight (several full blocks of settles queued in the node's pool).
   */
  public static TxEngineConfig defaults() {
    return new TxEngineConfig(
        1,
        BigInteger.valueOf(500_000_000_000L),
        BigInteger.valueOf(1_000_000_000L),
        Duration.ofSeconds(15),
        3,
        25,
        1000,
        20,
        Duration.ofSeconds(10),
        Duration.ofSeconds(15),
        64,
        Duration.ofMinutes(2));
  }

  /** The same with {@code n} confirmations (and a finality depth of at least {@code n}). */
  public TxEngineConfig withConfirmations(int n) {
    return copy(
        b -> {
          b.confirmations = n;
          b.finalityDepth = Math.max(n, finalityDepth);
        });
  }

  /** The same with another replacement deadline and number of fee bumps. */
  public TxEngineConfig withReplaceAfter(Duration d, int replacements) {
    return copy(
        b -> {
          b.replaceAfter = d;
          b.maxReplacements = replacements;
        });
  }

  /** The same with another nonce lease time-to-live. */
  public TxEngineConfig withLeaseTtl(Duration ttl) {
    return copy(b -> b.leaseTtl = ttl);
  }

  /** The same with the chain's finality depth (at least the confirmations). */
  public TxEngineConfig withFinalityDepth(int depth) {
    return copy(b -> b.finalityDepth = Math.max(depth, confirmations));
  }

  /** The same with another stuck-signer threshold. */
  public TxEngineConfig withStuckAfter(Duration d) {
    return copy(b -> b.stuckAfter = d);
  }

  /** The same with another re-broadcast delay for unmined transactions. */
  public TxEngineConfig withRebroadcastAfter(Duration d) {
    return copy(b -> b.rebroadcastAfter = d);
  }

  /** This configuration's values, changed by {@code change}, as a new one. */
  private TxEngineConfig copy(java.util.function.Consumer<Values> change) {
    Values v = new Values(this);
    change.accept(v);
    return v.build();
  }

  /** The components, mutable, for {@link #copy}. */
  private static final class Values {
    int confirmations;
    BigInteger maxFeePerGasCapWei;
    BigInteger minPriorityFeeWei;
    Duration replaceAfter;
    int maxReplacements;
    int bumpPercent;
    int maxInFlight;
    int gasHeadroomPercent;
    Duration rebroadcastAfter;
    Duration leaseTtl;
    int finalityDepth;
    Duration stuckAfter;

    Values(TxEngineConfig c) {
      confirmations = c.confirmations;
      maxFeePerGasCapWei = c.maxFeePerGasCapWei;
      minPriorityFeeWei = c.minPriorityFeeWei;
      replaceAfter = c.replaceAfter;
      maxReplacements = c.maxReplacements;
      bumpPercent = c.bumpPercent;
      maxInFlight = c.maxInFlight;
      gasHeadroomPercent = c.gasHeadroomPercent;
      rebroadcastAfter = c.rebroadcastAfter;
      leaseTtl = c.leaseTtl;
      finalityDepth = c.finalityDepth;
      stuckAfter = c.stuckAfter;
    }

    TxEngineConfig build() {
      return new TxEngineConfig(
          confirmations,
          maxFeePerGasCapWei,
          minPriorityFeeWei,
          replaceAfter,
          maxReplacements,
          bumpPercent,
          maxInFlight,
          gasHeadroomPercent,
          rebroadcastAfter,
          leaseTtl,
          finalityDepth,
          stuckAfter);
    }
  }
}
