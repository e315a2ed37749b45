package dev.lockstep.keeper.tx;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Static EIP-1559 fee caps and gas limit for keeper transactions, and how often receipts are polled.
 *
 * @param maxFeePerGasWei cap on base fee + tip, in wei
 * @param maxPriorityFeePerGasWei tip, in wei
 * @param gasLimit gas limit of each keeper transaction
 * @param receiptPoll interval between receipt polls
 */
public record FeePolicy(BigInteger maxFeePerGasWei, BigInteger maxPriorityFeePerGasWei, BigInteger gasLimit,
    Duration receiptPoll) {

  /** 50 gwei cap, 1 gwei tip, 500,000 gas, 100 ms polls: what a local anvil needs. */
  public static FeePolicy devnet() {
    return new FeePolicy(BigInteger.valueOf(50_000_000_000L), BigInteger.valueOf(1_000_000_000L),
        BigInteger.valueOf(500_000), Duration.ofMillis(100));
  }
}
