package dev.lockstep.indexer.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the indexer follows on one chain. Read from the daemon's JSON configuration (keys in
 * snake_case; absent optional keys take the defaults below) or built with {@link #builder}.
 *
 * @param chainId EIP-155 chain id
 * @param name catalog name ({@code base}, {@code arbitrum}, {@code ethereum}, ...); default from
 *     {@link #defaultName}
 * @param rpcUrls HTTP JSON-RPC URLs, primary first; later ones are fallbacks (at least one)
 * @param wsUrl optional WebSocket JSON-RPC URL; when set, {@code newHeads} wakes the follower and
 *     polling continues as the fallback while the socket is down
 * @param confirmations blocks behind the head that are indexed (0 = index the head); default 0
 * @param finalityDepth blocks behind the head after which a block is final: rows at or below {@code
 *     head - finalityDepth} are reported final, and a reorg reaching below the finalized block is
 *     fatal for the chain; default 64 (Ethereum's two epochs)
 * @param startBlock first block to index when there is no checkpoint yet
 * @param factory AssetTokenFactory address; every token it deploys is indexed from its deployment
 * @param orderBook OrderBook address
 * @param tokens other ERC-20s to index (payout stablecoins, any existing token), each from its own
 *     start block
 * @param pollInterval delay between head polls when caught up; default 200 ms
 * @param maxBlockRange most blocks in one {@code eth_getLogs} range and batch; default 2,000
 * @param fetchConcurrency ranges fetched concurrently during backfill (committed in order); default
 *     4
 * @param targetLogsPerRange range sizing aims at this many logs per range, bounding memory to about
 *     {@code fetchConcurrency x targetLogsPerRange} events; default 10,000
 * @param requestTimeout timeout of one JSON-RPC call; default 10 s
 * @param stallAfter a chain whose node head moves but whose index does not, or whose RPC keeps
 *     failing, for this long is reported stalled in health and metrics; default 30 s
 */
public record ChainConfig(
    long chainId,
    String name,
    List<String> rpcUrls,
    String wsUrl,
    Integer confirmations,
    Integer finalityDepth,
    long startBlock,
    String factory,
    String orderBook,
    List<Erc20> tokens,
    Duration pollInterval,
    Integer maxBlockRange,
    Integer fetchConcurrency,
    Integer targetLogsPerRange,
    Duration requestTimeout,
    Duration stallAfter) {

  public ChainConfig {
    if (rpcUrls == null || rpcUrls.isEmpty())
      throw new IllegalArgumentException("chain " + chainId + ": rpc_urls is empty");
    rpcUrls = List.copyOf(rpcUrls);
    name = name == null ? defaultName(chainId) : name;
    factory = Objects.requireNonNull(factory, "factory").toLowerCase();
    orderBook = Objects.requireNonNull(orderBook, "order_book").toLowerCase();
    confirmations = confirmations == null ? 0 : confirmations;
    finalityDepth = finalityDepth == null ? 64 : finalityDepth;
    pollInterval = pollInterval == null ? Duration.ofMillis(200) : pollInterval;
    maxBlockRange = maxBlockRange == null ? 2_000 : maxBlockRange;
    fetchConcurrency = fetchConcurrency == null ? 4 : fetchConcurrency;
    targetLogsPerRange = targetLogsPerRange == null ? 10_000 : targetLogsPerRange;
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
    stallAfter = stallAfter == null ? Duration.ofSeconds(30) : stallAfter;
    List<Erc20> resolved = new ArrayList<>();
    for (Erc20 t : tokens == null ? List.<Erc20>of() : tokens) {
      resolved.add(
          t.startBlock() == null
              ? new Erc20(t.symbol(), t.address(), t.decimals(), t.kind(), startBlock)
              : t);
    }
    tokens = List.copyOf(resolved);
    if (confirmations < 0) throw new IllegalArgumentException("confirmations must be >= 0");
    if (finalityDepth < confirmations)
      throw new IllegalArgumentException("finality_depth must be >= confirmations");
    if (maxBlockRange < 1) throw new IllegalArgumentException("max_block_range must be >= 1");
    if (fetchConcurrency < 1) throw new IllegalArgumentException("fetch_concurrency must be >= 1");
    if (targetLogsPerRange < 1)
      throw new IllegalArgumentException("target_logs_per_range must be >= 1");
  }

  /**
   * An ERC-20 the factory did not deploy (a payout stablecoin, or any existing token).
   *
   * @param symbol ticker, for example {@code USDC}
   * @param address contract address
   * @param decimals token decimals (6 for USDC and USDT)
   * @param kind {@code stablecoin} (default) or {@code erc20}
   * @param startBlock first block whose Transfer logs are indexed; default the chain's start block
   */
  public record Erc20(String symbol, String address, int decimals, String kind, Long startBlock) {
    public Erc20 {
      address = Objects.requireNonNull(address, "address").toLowerCase();
      kind = kind == null ? "stablecoin" : kind;
      if (!kind.equals("stablecoin") && !kind.equals("erc20")) {
        throw new IllegalArgumentException("token kind must be stablecoin or erc20: " + kind);
      }
    }

    /** A stablecoin indexed from the chain's start block. */
    public static Erc20 stablecoin(String symbol, String address, int decimals) {
      return new Erc20(symbol, address, decimals, "stablecoin", null);
    }
  }

  /** The primary RPC URL. */
  public String rpcUrl() {
    return rpcUrls.getFirst();
  }

  /** Starts a configuration with the defaults above. */
  public static Builder builder(long chainId, String rpcUrl, String factory, String orderBook) {
    return new Builder(chainId, rpcUrl, factory, orderBook);
  }

  private static final Map<Long, String> WELL_KNOWN =
      Map.of(1L, "ethereum", 8453L, "base", 42161L, "arbitrum");

  /**
   * Catalog name of well-known chain ids: 1 ethereum, 8453 base, 42161 arbitrum, else {@code
   * chain-<id>}.
   */
  public static String defaultName(long chainId) {
    return WELL_KNOWN.getOrDefault(chainId, "chain-" + chainId);
  }

  /** Builds a {@link ChainConfig}; unset values take the record's defaults. */
  public static final class Builder {
    private final long chainId;
    private final List<String> rpcUrls = new ArrayList<>();
    private final String factory;
    private final String orderBook;
    private String name;
    private String wsUrl;
    private Integer confirmations;
    private Integer finalityDepth;
    private long startBlock;
    private final List<Erc20> tokens = new ArrayList<>();
    private Duration pollInterval;
    private Integer maxBlockRange;
    private Integer fetchConcurrency;
    private Integer targetLogsPerRange;
    private Duration requestTimeout;
    private Duration stallAfter;

    private Builder(long chainId, String rpcUrl, String factory, String orderBook) {
      this.chainId = chainId;
      this.rpcUrls.add(rpcUrl);
      this.factory = factory;
      this.orderBook = orderBook;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    /** Replaces the RPC URLs (primary first). */
    public Builder rpcUrls(String... v) {
      rpcUrls.clear();
      rpcUrls.addAll(List.of(v));
      return this;
    }

    public Builder fallbackRpcUrl(String v) {
      rpcUrls.add(v);
      return this;
    }

    public Builder wsUrl(String v) {
      wsUrl = v;
      return this;
    }

    public Builder confirmations(int v) {
      confirmations = v;
      return this;
    }

    public Builder finalityDepth(int v) {
      finalityDepth = v;
      return this;
    }

    public Builder startBlock(long v) {
      startBlock = v;
      return this;
    }

    public Builder token(Erc20 v) {
      tokens.add(v);
      return this;
    }

    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    public Builder maxBlockRange(int v) {
      maxBlockRange = v;
      return this;
    }

    public Builder fetchConcurrency(int v) {
      fetchConcurrency = v;
      return this;
    }

    public Builder targetLogsPerRange(int v) {
      targetLogsPerRange = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder stallAfter(Duration v) {
      stallAfter = v;
      return this;
    }

    public ChainConfig build() {
      return new ChainConfig(
          chainId,
          name,
          rpcUrls,
          wsUrl,
          confirmations,
          finalityDepth,
          startBlock,
          factory,
          orderBook,
          tokens,
          pollInterval,
          maxBlockRange,
          fetchConcurrency,
          targetLogsPerRange,
          requestTimeout,
          stallAfter);
    }
  }
}
