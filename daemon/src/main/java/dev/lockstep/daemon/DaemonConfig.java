package dev.lockstep.daemon;

import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.keeper.tx.TxEngineConfig;
import dev.lockstep.ports.Mode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one daemon needs, validated: read from a JSON file by {@link
 * dev.lockstep.daemon.config.ConfigReader} ({@code lockstep run --config FILE}, README
 * "Configuration") or built with {@link #builder} (the sandbox, the benchmarks).
 *
 * @param databaseUrl JDBC URL of the PostgreSQL database ({@code jdbc:postgresql://…}, user and
 *     password as URL parameters)
 * @param chains chains to index, and to keep where they have an order book
 * @param mode {@code TEST} (sandbox, {@code sk_test_} keys) or {@code LIVE}
 * @param apiHost address the integrator-facing API binds to
 * @param apiPort its port (0 picks a free one)
 * @param management where {@code /metrics} and {@code /health} are served on their own (Prometheus
 *     convention); empty to serve them on the API port as well
 * @param collaborators the off-chain collaborators: which adapter each one is
 * @param keeperInterval delay between scheduled keeper runs
 * @param keeperTx the keeper's transaction engine settings; the confirmation depth of each chain is
 *     its {@code confirmations} (at least 1)
 * @param rateLimits requests per second replacing the reference's defaults for some tiers
 * @param poolSize connections of the daemon's PostgreSQL pool (2-200; default {@link
 *     #DEFAULT_POOL_SIZE}), shared by the API, indexer, keeper and webhook loop
 * @param secretsKeyHex the key webhook signing secrets are sealed under at rest (32 bytes, 64 hex
 *     digits; every daemon on the database the same); required in live mode, and without it a
 *     test-mode daemon stores them in clear
 */
public record DaemonConfig(
    String databaseUrl,
    List<ChainConfig> chains,
    Mode mode,
    String apiHost,
    int apiPort,
    Optional<Endpoint> management,
    Collaborators collaborators,
    Duration keeperInterval,
    TxEngineConfig keeperTx,
    Map<String, Long> rateLimits,
    int poolSize,
    Optional<String> secretsKeyHex) {

  /**
   * The pool's default size. The API's requests each hold a connection for their statements, beside
   * the indexer, keeper and webhook loop: at 8, requests queued for one (the API bench's single
   * GET: 6,300 requests/s, p99 14 ms; at 16: 10,500/s, p99 6 ms). PostgreSQL's default of 100
   * connections leaves room for several daemons.
   */
  public static final int DEFAULT_POOL_SIZE = 16;

  public DaemonConfig {
    chains = List.copyOf(chains);
    rateLimits = Map.copyOf(rateLimits);
    if (poolSize < 2 || poolSize > 200) {
      throw new IllegalArgumentException("database_pool_size must be 2-200: " + poolSize);
    }
    if (secretsKeyHex.isPresent() && !secretsKeyHex.get().matches("(0x)?[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the secrets key must be 32 bytes as 64 hex digits");
    }
    if (mode == Mode.LIVE && secretsKeyHex.isEmpty()) {
      throw new IllegalArgumentException(
          "a live daemon seals webhook signing secrets at rest: secrets_key_env is required");
    }
  }

  /** The same configuration with the API on {@code port} (0: a free one). */
  public DaemonConfig withApiPort(int port) {
    return copy(port, management);
  }

  /** The same configuration with {@code /metrics} and {@code /health} on {@code endpoint}. */
  public DaemonConfig withManagement(Endpoint endpoint) {
    return copy(apiPort, Optional.of(endpoint));
  }

  private DaemonConfig copy(int port, Optional<Endpoint> managementEndpoint) {
    return new DaemonConfig(
        databaseUrl,
        chains,
        mode,
        apiHost,
        port,
        managementEndpoint,
        collaborators,
        keeperInterval,
        keeperTx,
        rateLimits,
        poolSize,
        secretsKeyHex);
  }

  /** A host and port to listen on (port 0 picks a free one). */
  public record Endpoint(String host, int port) {}

  /**
   * One off-chain collaborator: the adapter that implements its interface, by name, with the
   * adapter's own settings. Built-in names: broker {@code simulated}, price feed {@code simulated},
   * venue calendar {@code always_open} or {@code exchange}, signer {@code local_key}; any other
   * name is looked up among the {@link dev.lockstep.ports.AdapterFactory} implementations on the
   * classpath.
   *
   * @param named whether the configuration named it (live mode refuses a simulator it did not)
   */
  public record Adapter(String name, Map<String, String> settings, boolean named) {
    public Adapter {
      settings = Map.copyOf(settings);
    }

    /** The setting {@code key}, if given. */
    public Optional<String> setting(String key) {
      return Optional.ofNullable(settings.get(key));
    }
  }

  /**
   * The off-chain collaborators (SPEC "Components").
   *
   * @param broker the prime broker ({@code dev.lockstep.keeper.broker.PrimeBroker})
   * @param priceFeed marks and NAV ({@code dev.lockstep.ports.PriceFeed})
   * @param venueCalendar trading sessions ({@code dev.lockstep.ports.VenueCalendar})
   * @param signer the keeper's transaction signer ({@code dev.lockstep.keeper.tx.TxSigner})
   * @param markPricesUsd the simulators' USD price of one share per asset symbol
   * @param pauser the factory pauser's signer ({@code local_key}), which pauses a token's minting
   *     on a reconciliation break and resumes it once cleared; absent, breaks are reported and the
   *     API refuses mints, but nothing is paused on chain
   */
  public record Collaborators(
      Adapter broker,
      Adapter priceFeed,
      Adapter venueCalendar,
      Adapter signer,
      Adapter settlementWallets,
      Map<String, BigDecimal> markPricesUsd,
      Optional<Adapter> pauser) {
    public Collaborators {
      markPricesUsd = Map.copyOf(markPricesUsd);
    }
  }

  /** Name of the simulated broker and price feed adapters. */
  public static final String SIMULATED = "simulated";

  /**
   * Name of the built-in settlement wallets: keys derived from {@code seed} / {@code seed_env}
   * (0x-hex, 32 bytes or more), a sandbox faucet with {@code faucet_private_key} / {@code
   * faucet_private_key_env}.
   */
  public static final String DERIVED = "derived";

  /** Name of the venue calendar that never closes. */
  public static final String ALWAYS_OPEN = "always_open";

  /**
   * Name of the built-in exchange calendar ({@code dev.lockstep.keeper.venue.ExchangeCalendar}): US
   * equities' sessions, bond and private-credit dealing days, holidays 2026-2028; settings {@code
   * bonds} and {@code private_credit} list the tickers dealt there.
   */
  public static final String EXCHANGE = "exchange";

  /** Name of the signer holding one private key in the daemon's memory. */
  public static final String LOCAL_KEY = "local_key";

  /** Starts a configuration with the sandbox's collaborators and the defaults of the README. */
  public static Builder builder(String databaseUrl, List<ChainConfig> chains, Mode mode) {
    return new Builder(databaseUrl, chains, mode);
  }

  /** Builds a {@link DaemonConfig}. Not thread-safe. */
  public static final class Builder {
    private final String databaseUrl;
    private final List<ChainConfig> chains;
    private final Mode mode;
    private String apiHost = "127.0.0.1";
    private int apiPort = 0;
    private Optional<Endpoint> management = Optional.empty();
    private Map<String, BigDecimal> marks = Map.of();
    private Adapter calendar = new Adapter(ALWAYS_OPEN, Map.of(), true);
    private Optional<Duration> clearingDelay = Optional.empty();
    private Map<String, String> priceSettings = Map.of();
    private Duration fillDelay = Duration.ofSeconds(2);
    private String keeperKeyHex = "";
    private Optional<String> pauserKeyHex = Optional.empty();
    private String attesterKeyHex = "";
    private Duration keeperInterval = Duration.ofMillis(500);
    private TxEngineConfig keeperTx = TxEngineConfig.defaults();
    private Map<String, Long> rateLimits = Map.of();
    private Map<String, String> wallets = Map.of();
    private Optional<String> secretsKeyHex = Optional.empty();

    private Builder(String databaseUrl, List<ChainConfig> chains, Mode mode) {
      this.databaseUrl = databaseUrl;
      this.chains = chains;
      this.mode = mode;
    }

    public Builder api(String host, int port) {
      apiHost = host;
      apiPort = port;
      return this;
    }

    public Builder management(Endpoint v) {
      management = Optional.of(v);
      return this;
    }

    /** The simulated broker and price feed at these marks; the broker fills after {@code delay}. */
    public Builder simulatedMarkets(Map<String, BigDecimal> markPricesUsd, Duration delay) {
      marks = new LinkedHashMap<>(markPricesUsd);
      fillDelay = delay;
      return this;
    }

    /**
     * The simulated broker clears each fill {@code delay} after it (compressed cycles) instead of
     * on its venue's cycle.
     */
    public Builder simulatedClearingDelay(Duration delay) {
      clearingDelay = Optional.of(delay);
      return this;
    }

    /**
     * The simulated price feed walks: each 5 s tick moves a price by at most {@code volatilityBps}
     * basis points, drawn from a generator seeded by {@code seed}.
     */
    public Builder simulatedPriceWalk(long seed, int volatilityBps) {
      priceSettings =
          Map.of(
              "walk_seed", Long.toString(seed), "volatility_bps", Integer.toString(volatilityBps));
      return this;
    }

    /** The simulated broker's attester signs fills with this private key (0x-hex). */
    public Builder simulatedAttesterKey(String privateKeyHex) {
      attesterKeyHex = privateKeyHex;
      return this;
    }

    /** The factory's pauser signs with this private key (0x-hex): reconciliation breaks pause. */
    public Builder localPauserKey(String privateKeyHex) {
      pauserKeyHex = Optional.of(privateKeyHex);
      return this;
    }

    /** The keeper signs with this private key (0x-hex). */
    public Builder localKeeperKey(String privateKeyHex) {
      keeperKeyHex = privateKeyHex;
      return this;
    }

    /**
     * Settlement wallets derived from {@code seedHex}; in the sandbox, funded by {@code
     * faucetKeyHex} (the test stablecoins' admin).
     */
    public Builder settlementWallets(String seedHex, String faucetKeyHex) {
      wallets = Map.of("seed", seedHex, "faucet_private_key", faucetKeyHex);
      return this;
    }

    /** The venue calendar adapter {@code name} with its settings (default {@code always_open}). */
    public Builder venueCalendar(String name, Map<String, String> settings) {
      calendar = new Adapter(name, settings, true);
      return this;
    }

    public Builder keeperInterval(Duration v) {
      keeperInterval = v;
      return this;
    }

    public Builder keeperTx(TxEngineConfig v) {
      keeperTx = v;
      return this;
    }

    public Builder rateLimits(Map<String, Long> v) {
      rateLimits = v;
      return this;
    }

    private Map<String, String> brokerSettings() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("fill_delay", fillDelay.toString());
      m.put("attester_private_key", attesterKeyHex);
      clearingDelay.ifPresent(d -> m.put("clearing_delay", d.toString()));
      return m;
    }

    /** Webhook signing secrets sealed at rest under {@code keyHex} (64 hex digits). */
    public Builder secretsKey(String keyHex) {
      this.secretsKeyHex = Optional.of(keyHex);
      return this;
    }

    public DaemonConfig build() {
      Collaborators c =
          new Collaborators(
              new Adapter(SIMULATED, brokerSettings(), true),
              new Adapter(SIMULATED, priceSettings, true),
              calendar,
              new Adapter(LOCAL_KEY, Map.of("private_key", keeperKeyHex), true),
              new Adapter(DERIVED, wallets, true),
              marks,
              pauserKeyHex.map(k -> new Adapter(LOCAL_KEY, Map.of("private_key", k), true)));
      return new DaemonConfig(
          databaseUrl,
          chains,
          mode,
          apiHost,
          apiPort,
          management,
          c,
          keeperInterval,
          keeperTx,
          rateLimits,
          DEFAULT_POOL_SIZE,
          secretsKeyHex);
    }
  }
}
