package dev.lockstep.keeper.price;

import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.ports.PriceFeed;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * What a settle costs in gas, in stablecoin base units (1e-6 USD): the settle's gas units times the
 * chain's current gas price ({@code eth_gasPrice}, wei) times the price feed's ETH mark (every
 * supported chain pays gas in ETH), rounded up to the base unit. Exact decimals throughout. The
 * quote's {@code estimated_gas_usdc} and the gas the keeper states on a settle (the order book
 * charges at most the order's {@code maxGas}, which its creator agreed to). Thread-safe.
 */
public final class GasCost {
  private static final Logger log = LoggerFactory.getLogger(GasCost.class);

  /**
   * Gas units of a mint's settle (attestation check, factory mint, fee and refund transfers) on an
   * already deployed token; the first mint's CREATE2 deployment is the platform's, not charged.
   */
  public static final long MINT_SETTLE_GAS = 200_000;

  /**
   * Gas units of a redeem's settle (attestation check, burn, payout and fee transfers): 139,804
   * measured by {@code scripts/bench/keeper}, rounded up.
   */
  public static final long REDEEM_SETTLE_GAS = 150_000;

  private static final BigDecimal WEI_PER_ETH = BigDecimal.TEN.pow(18);
  private static final BigDecimal BASE_UNITS = BigDecimal.TEN.pow(6);

  private final LongFunction<@Nullable Web3j> nodes;
  private final PriceFeed prices;

  /**
   * @param nodes the node of a chain id, null for a chain it does not know
   */
  public GasCost(LongFunction<@Nullable Web3j> nodes, PriceFeed prices) {
    this.nodes = nodes;
    this.prices = prices;
  }

  /** Gas units of {@code side}'s settle. */
  public static long settleGas(OrderSide side) {
    return side == OrderSide.MINT ? MINT_SETTLE_GAS : REDEEM_SETTLE_GAS;
  }

  /**
   * The cost of {@code side}'s settle on {@code chainId} now, in stablecoin base units; zero when
   * the chain's gas price or the ETH mark cannot be read (logged).
   */
  public BigInteger settleCost(long chainId, OrderSide side) {
    return cost(chainId, settleGas(side));
  }

  /**
   * Gas units budgeted for relaying a holder's signed order ({@code createWithIntent} with a
   * permit).
   */
  public static final long RELAY_GAS = 300_000;

  /**
   * The cost of {@code gasUnits} on {@code chainId} now, in stablecoin base units; zero when the
   * chain's gas price or the ETH mark cannot be read (logged).
   */
  public BigInteger cost(long chainId, long gasUnits) {
    Web3j node = nodes.apply(chainId);
    var eth = prices.nativeMark();
    if (node == null || eth.isEmpty()) {
      return BigInteger.ZERO;
    }
    try {
      BigInteger weiPerGas = node.ethGasPrice().send().getGasPrice();
      return of(gasUnits, weiPerGas, eth.get().priceUsd());
    } catch (IOException | RuntimeException e) {
      log.warn("chainId={}: gas price unreadable ({}), gas stated as 0", chainId, e.getMessage());
      return BigInteger.ZERO;
    }
  }

  /**
   * What the transaction that created an order cost its sender when the sender is not the order's
   * owner (a relayed signed order: the settlement wallet paid it), in stablecoin base units: its
   * receipt's gas used × effective gas price at the ETH mark now. Zero for an order its owner sent,
   * and when the receipt or the mark cannot be read (logged).
   *
   * @param owner the order's owner, 0x address
   */
  public BigInteger relayCharge(long chainId, String createdTx, String owner) {
    Web3j node = nodes.apply(chainId);
    var eth = prices.nativeMark();
    if (node == null || eth.isEmpty()) {
      return BigInteger.ZERO;
    }
    try {
      var receipt = node.ethGetTransactionReceipt(createdTx).send().getTransactionReceipt();
      if (receipt.isEmpty()
          || receipt.get().getFrom() == null
          || receipt.get().getFrom().equalsIgnoreCase(owner)
          || receipt.get().getEffectiveGasPrice() == null) {
        return BigInteger.ZERO;
      }
      BigInteger weiPerGas =
          org.web3j.utils.Numeric.decodeQuantity(receipt.get().getEffectiveGasPrice());
      return new BigDecimal(weiPerGas.multiply(receipt.get().getGasUsed()))
          .multiply(eth.get().priceUsd())
          .multiply(BASE_UNITS)
          .divide(WEI_PER_ETH, 0, RoundingMode.CEILING)
          .toBigIntegerExact();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "chainId={}: receipt of {} unreadable ({}), relay gas stated as 0",
          chainId,
          createdTx,
          e.getMessage());
      return BigInteger.ZERO;
    }
  }

  /** {@code ceil(gasUnits * weiPerGas * ethUsd / 1e18 * 1e6)}. */
  public static BigInteger of(long gasUnits, BigInteger weiPerGas, BigDecimal ethUsd) {
    return new BigDecimal(weiPerGas.multiply(BigInteger.valueOf(gasUnits)))
        .multiply(ethUsd)
        .multiply(BASE_UNITS)
        .divide(WEI_PER_ETH, 0, RoundingMode.CEILING)
        .toBigIntegerExact();
  }
}
