package dev.lockstep.keeper.tx;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthFeeHistory;

/**
 * EIP-1559 fees from the node's recent fee history ({@code eth_feeHistory} over the last 10
 * blocks): the tip is the median of the blocks' 50th-percentile tips (at least the configured
 * floor), and the fee cap is twice the next block's base fee plus the tip, so the transaction stays
 * includable through about six consecutive full blocks (the base fee rises at most 12.5% per
 * block). Never above the configured cap.
 */
public final class FeeOracle {
  private static final int BLOCKS = 10;
  private final Web3j web3j;
  private final TxEngineConfig config;

  public FeeOracle(Web3j web3j, TxEngineConfig config) {
    this.web3j = web3j;
    this.config = config;
  }

  /** The fees to offer now. */
  public Fees current() throws IOException {
    EthFeeHistory r =
        web3j.ethFeeHistory(BLOCKS, DefaultBlockParameterName.LATEST, List.of(50.0)).send();
    if (r.hasError()) {
      throw new IOException("eth_feeHistory: " + r.getError().getMessage());
    }
    List<BigInteger> baseFees = r.getFeeHistory().getBaseFeePerGas();
    BigInteger nextBaseFee = baseFees.isEmpty() ? BigInteger.ZERO : baseFees.getLast();
    List<BigInteger> tips =
        r.getFeeHistory().getReward() == null
            ? List.of()
            : r.getFeeHistory().getReward().stream()
                .filter(x -> !x.isEmpty())
                .map(List::getFirst)
                .sorted()
                .toList();
    BigInteger tip = tips.isEmpty() ? BigInteger.ZERO : tips.get(tips.size() / 2);
    tip = tip.max(config.minPriorityFeeWei());
    BigInteger cap = config.maxFeePerGasCapWei();
    BigInteger maxFee = nextBaseFee.shiftLeft(1).add(tip).min(cap);
    return new Fees(maxFee, tip.min(maxFee));
  }

  /** Clamps {@code fees} to the configured cap (the tip never above the fee cap). */
  public Fees capped(Fees fees) {
    BigInteger maxFee = fees.maxFeePerGas().min(config.maxFeePerGasCapWei());
    return new Fees(maxFee, fees.maxPriorityFeePerGas().min(maxFee));
  }
}
