package dev.lockstep.indexer.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the indexer follows on one chain.
 *
 * @param chainId EIP-155 chain id
 * @param name catalog name ({@code base}, {@code arbitrum}, {@code ethereum}, ...)
 * @param rpcUrl HTTP JSON-RPC URL
 * @param confirmations blocks behind the head that are indexed (0 = index the head)
 * @param startBlock first block to index when there is no checkpoint yet
 * @param factory AssetTokenFactory address; every token it deploys is indexed from its deployment
 * @param orderBook OrderBook address
 * @param stablecoins other ERC-20s to index (payout stablecoins), from {@code startBlock}
 * @param pollInterval delay between head polls when caught up
 * @param maxBlockRange most blocks fetched and committed in one batch (at least 1)
 */
public record ChainConfig(
    long chainId,
    String name,
    String rpcUrl,
    int confirmations,
    long startBlock,
    String factory,
    String orderBook,
    List<Stablecoin> stablecoins,
    Duration pollInterval,
    int maxBlockRange) {

  public ChainConfig {
    Objects.requireNonNull(rpcUrl, "rpcUrl");
    factory = factory.toLowerCase();
    orderBook = orderBook.toLowerCase();
    stablecoins = List.copyOf(stablecoins);
    if (confirmations < 0) throw new IllegalArgumentException("confirmations must be >= 0");
    if (maxBlockRange < 1) throw new IllegalArgumentException("maxBlockRange must be >= 1");
  }

  /**
   * A configured ERC-20 that is not deployed by the factory.
   *
   * @param symbol ticker, for example {@code USDC}
   * @param address contract address
   * @param decimals token decimals (6 for USDC and USDT)
   */
  public record Stablecoin(String symbol, String address, int decimals) {
    public Stablecoin {
      address = address.toLowerCase();
    }
  }

  private static final Map<Long, String> WELL_KNOWN = Map.of(1L, "ethereum", 8453L, "base", 42161L, "arbitrum");

  /** Catalog name of well-known chain ids: 1 ethereum, 8453 base, 42161 arbitrum, else {@code chain-<id>}. */
  public static String defaultName(long chainId) {
    return WELL_KNOWN.getOrDefault(chainId, "chain-" + chainId);
  }
}
