package dev.lockstep.indexer.config;

import dev.lockstep.indexer.model.LogVerification;
import dev.lockstep.indexer.model.TokenKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the indexer follows on one chain. Built with {@link #builder}, which holds the defaults
 * below; the daemon's configuration reader validates a JSON file into one of these (keys in
 * snake_case, README "Configuration").
 *
 * @param chainId EIP-155 chain id
 * @param name catalog name ({@code base}, {@code arbitrum}, {@code ethereum}, ...); default from
 *     {@link #defaultName}
 * @param rpcUrls HTTP JSON-RPC URLs, primary first; later ones are fallbacks (at least one)
 * @param wsUrl WebSocket JSON-RPC URL; when set, {@code newHeads} wakes the follower and polling
 *     continues as the fallback while the socket is down
 * @param confirmations blocks behind the head that are indexed (0 = index the head); default 0
 * @param finalityDepth blocks behind the head after which a block is final: rows at or below {@code
 *     head - finalityDepth} are reported final, and a reorg reaching below the finalized block is
 *     fatal for the chain; default 64 (Ethereum's two epochs)
 * @param startBlock first block to index when there is no checkpoint yet; default 0
 * @param factory AssetTokenFactory address, lowercase; every token it deploys is indexed from its
 *     deployment. Empty on a chain without Lockstep's contracts
 * @param orderBook OrderBook address, lowercase; empty likewise
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
 * @param verification how far each {@code eth_getLogs} answer is checked for completeness; default
 *     {@link LogVerification#BLOOM}
 */
public record ChainConfig(
    long chainId,
    String name,
    List<String> rpcUrls,
    Optional<String> wsUrl,
    int confirmations,
    int finalityDepth,
    long startBlock,
    Optional<String> factory,
    Optional<String> orderBook,
    List<Erc20> tokens,
    Duration pollInterval,
    int maxBlockRange,
    int fetchConcurrency,
    int targetLogsPerRange,
    Duration requestTimeout,
    Duration stallAfter,
    LogVerification verification) {

  /**
   * @throws IllegalArgumentException if a value is out of range (the configuration reader reports
   *     these per key before building)
   */
  public ChainConfig {
    if (rpcUrls.isEmpty()) {
      throw new IllegalArgumentException("chain " + chainId + ": rpc_urls is empty");
    }
    rpcUrls = List.copyOf(rpcUrls);
    tokens = List.copyOf(tokens);
    factory = factory.map(a -> a.toLowerCase(Locale.ROOT));
    orderBook = orderBook.map(a -> a.toLowerCase(Locale.ROOT));
    require(confirmations >= 0, "confirmations must be >= 0");
    require(finalityDepth >= confirmations, "finality_depth must be >= confirmations");
    require(startBlock >= 0, "start_block must be >= 0");
    require(maxBlockRange >= 1, "max_block_range must be >= 1");
    require(fetchConcurrency >= 1, "fetch_concurrency must be >= 1");
    require(targetLogsPerRange >= 1, "target_logs_per_range must be >= 1");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  /**
   * An ERC-20 the factory did not deploy (a payout stablecoin, or any existing token).
   *
   * @param symbol ticker, for example {@code USDC}
   * @param address contract address, lowercase 0x-hex
   * @param decimals token decimals (6 for USDC and USDT)
   * @param kind {@link TokenKind#STABLECOIN} or {@link TokenKind#ERC20}
   * @param startBlock first block whose Transfer logs are indexed
   */
  public record Erc20(
      String symbol, String address, int decimals, TokenKind kind, long startBlock) {
    public Erc20 {
      address = address.toLowerCase(Locale.ROOT);
      if (kind == TokenKind.ASSET) {
        throw new IllegalArgumentException("a configured token is a stablecoin or an erc20");
      }
    }

    /** A stablecoin indexed from {@code startBlock}. */
    public static Erc20 stablecoin(String symbol, String address, int decimals, long startBlock) {
      return new Erc20(symbol, address, decimals, TokenKind.STABLECOIN, startBlock);
    }
  }

  /** The primary RPC URL. */
  public String rpcUrl() {
    return rpcUrls.getFirst();
  }

  /** Starts a configuration of a chain with Lockstep's contracts, with the defaults above. */
  public static Builder builder(long chainId, String rpcUrl, String factory, String orderBook) {
    return new Builder(chainId, rpcUrl).factory(factory).orderBook(orderBook);
  }

  /** Starts a configuration of a chain, with the defaults above and no Lockstep contracts. */
  public static Builder builder(long chainId, String rpcUrl) {
    return new Builder(chainId, rpcUrl);
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

  /** Builds a {@link ChainConfig}; unset values take the record's defaults. Not thread-safe. */
  public static final class Builder {
    private final long chainId;
    private final List<String> rpcUrls = new ArrayList<>();
    private Optional<String> factory = Optional.empty();
    private Optional<String> orderBook = Optional.empty();
    private Optional<String> name = Optional.empty();
    private Optional<String> wsUrl = Optional.empty();
    private int confirmations = 0;
    private int finalityDepth = 64;
    private long startBlock = 0;
    private final List<Erc20> tokens = new ArrayList<>();
    private Duration pollInterval = Duration.ofMillis(200);
    private int maxBlockRange = 2_000;
    private int fetchConcurrency = 4;
    private int targetLogsPerRange = 10_000;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration stallAfter = Duration.ofSeconds(30);
    private LogVerification verification = LogVerification.BLOOM;

    private Builder(long chainId, String rpcUrl) {
      this.chainId = chainId;
      this.rpcUrls.add(rpcUrl);
    }

    public Builder name(String v) {
      name = Optional.of(v);
      return this;
    }

    public Builder factory(String v) {
      factory = Optional.of(v);
      return this;
    }

    public Builder orderBook(String v) {
      orderBook = Optional.of(v);
      return this;
    }

    /** Replaces the RPC URLs (primary first). */
    public Builder rpcUrls(String... v) {
      return rpcUrls(List.of(v));
    }

    /** Replaces the RPC URLs (primary first). */
    public Builder rpcUrls(List<String> v) {
      rpcUrls.clear();
      rpcUrls.addAll(v);
      return this;
    }

    public Builder fallbackRpcUrl(String v) {
      rpcUrls.add(v);
      return this;
    }

    public Builder wsUrl(String v) {
      wsUrl = Optional.of(v);
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

    /** A stablecoin indexed from the chain's start block (as set so far). */
    public Builder stablecoin(String symbol, String address, int decimals) {
      return token(Erc20.stablecoin(symbol, address, decimals, startBlock));
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

    public Builder verification(LogVerification v) {
      verification = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a value is out of range
     */
    public ChainConfig build() {
      return new ChainConfig(
          chainId,
          name.orElse(defaultName(chainId)),
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
          stallAfter,
          verification);
    }
  }
}
