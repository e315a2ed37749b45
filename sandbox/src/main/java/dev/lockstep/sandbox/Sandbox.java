package dev.lockstep.sandbox;

import dev.lockstep.api.auth.Scope;
import dev.lockstep.api.customer.CustomerRequest;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.ShiftableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.web3j.utils.Numeric;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox: a local multi-chain devnet (one anvil each for chain ids 1 "ethereum", 8453 "base"
 * and 42161 "arbitrum", automine), an embedded PostgreSQL, the contracts deployed on every chain
 * (USDC and USDT accepted as payout), and a daemon in test mode following all three (HTTP polling
 * plus websocket newHeads), with a fresh {@code sk_test_} key. Everything is on loopback and random
 * free ports, and goes away on {@link #close}.
 */
public final class Sandbox implements AutoCloseable {
  /** Chain ids of the sandbox chains, in catalog order. */
  public static final List<Long> CHAIN_IDS = List.of(1L, 8453L, 42161L);

  /** The chain the demo and the sandbox's default wallet flows use (Base). */
  public static final long CHAIN_ID = 8453;

  /** The sandbox tenant: its key is printed at start. */
  public static final String TENANT = "ten_sandbox";

  /**
   * Test wallets 0-6 ({@link DevAccounts#wallet}) are the sandbox tenant's customers {@code
   * sandbox-wallet-<n>}.
   */
  public static final int SANDBOX_WALLETS = 7;

  /** Blocks after which sandbox rows are final (anvil mines one block per transaction). */
  public static final int FINALITY_DEPTH = 16;

  /** Sandbox mark prices (USD per share) of the simulated broker. */
  public static final Map<String, BigDecimal> MARKS =
      Map.of(
          "AAPL",
          new BigDecimal("187.42"),
          "NVDA",
          new BigDecimal("121.10"),
          "SPY",
          new BigDecimal("512.30"),
          // A 10-year US Treasury note (per 100 of face) on the bond venue, and a private-credit
          // fund's unit on the monthly-dealing venue.
          "UST10Y",
          new BigDecimal("98.75"),
          "PCF",
          new BigDecimal("100.00"));

  private static void awaitFunded(Daemon daemon, String wallet, int balances) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (daemon.index().balancesOf(wallet).stream()
            .filter(b -> b.kind() == dev.lockstep.indexer.model.TokenKind.STABLECOIN)
            .count()
        < balances) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sandbox settlement wallet's funding was not indexed within 60 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the sandbox starts", e);
      }
    }
  }

  private static byte[] randomSeed() {
    byte[] seed = new byte[32];
    new java.security.SecureRandom().nextBytes(seed);
    return seed;
  }

  private final EmbeddedDatabase database;
  private final List<AnvilNode> anvils;
  private final Map<Long, ChainDeployment> deployments;
  private final Daemon daemon;
  private final List<Daemon> others;
  private final String apiKey;
  private final String databaseUrl;

  private Sandbox(
      EmbeddedDatabase database,
      List<AnvilNode> anvils,
      Map<Long, ChainDeployment> deployments,
      Daemon daemon,
      List<Daemon> others,
      String apiKey,
      String databaseUrl) {
    this.others = List.copyOf(others);
    this.database = database;
    this.anvils = anvils;
    this.deployments = deployments;
    this.daemon = daemon;
    this.apiKey = apiKey;
    this.databaseUrl = databaseUrl;
  }

  /**
   * Starts the sandbox.
   *
   * @param apiPort API port, 0 for a free one
   * @param workDir where PostgreSQL keeps its files
   */
  public static Sandbox start(int apiPort, Path workDir) {
    return start(apiPort, workDir, 1);
  }

  /**
   * Starts the sandbox with {@code daemons} daemons against the one database: the first serves the
   * API on {@code apiPort}, the others on free ports; they share the keeper's work through Quartz's
   * clustered job store and the nonce lease. Its clock is a {@link ShiftableClock}, which {@code
   * POST /v1/sandbox/clock} moves with the chains' time.
   */
  public static Sandbox start(int apiPort, Path workDir, int daemons) {
    return start(apiPort, workDir, daemons, ShiftableClock.system(), Map.of());
  }

  /**
   * Starts the sandbox on {@code clock} (tests move it to prove time-driven behaviour such as the
   * webhook retry schedule) with {@code rateLimits} replacing some tiers' requests per second.
   */
  public static Sandbox start(
      int apiPort, Path workDir, int daemons, Clock clock, Map<String, Long> rateLimits) {
    return start(apiPort, workDir, daemons, clock, rateLimits, FILL_DELAY);
  }

  /** The simulated broker's time from an offset request to its fill: 2 s. */
  public static final Duration FILL_DELAY = Duration.ofSeconds(2);

  /**
   * As above, with the simulated broker filling {@code fillDelay} after each request (the orders
   * benchmark measures the chain's part of the latency with 0).
   */
  public static Sandbox start(
      int apiPort,
      Path workDir,
      int daemons,
      Clock clock,
      Map<String, Long> rateLimits,
      Duration fillDelay) {
    return start(apiPort, workDir, daemons, clock, rateLimits, fillDelay, DaemonConfig.ALWAYS_OPEN);
  }

  /**
   * Tickers the sandbox's {@code exchange} calendar deals on the bond venue ({@code us_bonds}) and
   * the private-credit venue ({@code private_credit}, monthly, whole units).
   */
  public static final Map<String, String> CALENDAR_SETTINGS =
      Map.of("bonds", "UST10Y", "private_credit", "PCF");

  /**
   * As above, on the venue calendar {@code calendar}: {@link DaemonConfig#ALWAYS_OPEN} (the
   * default: orders are routed at once, whatever the day) or {@link DaemonConfig#EXCHANGE} (the
   * venues' real sessions and holidays, with {@link #CALENDAR_SETTINGS}).
   */
  public static Sandbox start(
      int apiPort,
      Path workDir,
      int daemons,
      Clock clock,
      Map<String, Long> rateLimits,
      Duration fillDelay,
      String calendar) {
    return start(
        new Options(
            apiPort,
            workDir,
            daemons,
            clock,
            rateLimits,
            fillDelay,
            calendar,
            Optional.empty(),
            Optional.empty()));
  }

  /**
   * What a sandbox runs with.
   *
   * @param apiPort API port, 0 for a free one
   * @param workDir where PostgreSQL keeps its files
   * @param daemons daemons against the one database (the first serves {@code apiPort})
   * @param clock the daemons' clock (a {@link ShiftableClock} lets {@code POST /v1/sandbox/clock}
   *     move it)
   * @param rateLimits requests per second replacing some tiers'
   * @param fillDelay the simulated broker's time from an offset request to its fill
   * @param calendar {@link DaemonConfig#ALWAYS_OPEN} or {@link DaemonConfig#EXCHANGE}
   * @param clearingDelay a fixed time from fill to clearing instead of the venue's cycle
   * @param priceWalk the simulated feed's random walk (seed, most basis points a 5 s tick moves);
   *     flat marks when empty
   */
  public record Options(
      int apiPort,
      Path workDir,
      int daemons,
      Clock clock,
      Map<String, Long> rateLimits,
      Duration fillDelay,
      String calendar,
      Optional<Duration> clearingDelay,
      Optional<Map.Entry<Long, Integer>> priceWalk) {}

  /** Starts the sandbox with {@code o}. */
  public static Sandbox start(Options o) {
    int apiPort = o.apiPort();
    Path workDir = o.workDir();
    int daemons = o.daemons();
    Clock clock = o.clock();
    Map<String, Long> rateLimits = o.rateLimits();
    Duration fillDelay = o.fillDelay();
    String calendar = o.calendar();
    Optional<Duration> clearingDelay = o.clearingDelay();
    if (daemons < 1) {
      throw new IllegalArgumentException("daemons must be >= 1");
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(workDir);
    List<AnvilNode> anvils = new ArrayList<>();
    try {
      for (long chainId : CHAIN_IDS) {
        anvils.add(AnvilNode.start(chainId, Optional.empty()));
      }
      List<CompletableFuture<ChainDeployment>> deploying =
          anvils.stream()
              .map(
                  a ->
                      CompletableFuture.supplyAsync(
                          () ->
                              ContractDeployer.deploy(
                                  a.rpcUrl(), a.chainId(), Duration.ofHours(24))))
              .toList();
      Map<Long, ChainDeployment> deployments = new LinkedHashMap<>();
      List<ChainConfig> chains = new ArrayList<>();
      for (int i = 0; i < anvils.size(); i++) {
        ChainDeployment d = deploying.get(i).join();
        deployments.put(d.chainId(), d);
        chains.add(
            ChainConfig.builder(d.chainId(), d.rpcUrl(), d.factory(), d.orderBook())
                .wsUrl(anvils.get(i).wsUrl())
                .startBlock(d.deployBlock())
                .finalityDepth(FINALITY_DEPTH)
                .stablecoin("USDC", d.usdc(), 6)
                .stablecoin("USDT", d.usdt(), 6)
                .pollInterval(Duration.ofMillis(200))
                .maxBlockRange(500)
                .build());
      }
      String url = db.createDatabase("lockstep");
      DaemonConfig.Builder builder =
          DaemonConfig.builder(url, chains, Mode.TEST)
              .api("127.0.0.1", apiPort)
              .simulatedAttesterKey(DevAccounts.attesterKeyHex())
              .localKeeperKey(
                  Numeric.toHexStringWithPrefixZeroPadded(
                      DevAccounts.keeper().getEcKeyPair().getPrivateKey(), 64))
              // The factory's pauser, its own key: reconciliation breaks pause minting on chain.
              .localPauserKey(
                  Numeric.toHexStringWithPrefixZeroPadded(
                      DevAccounts.pauser().getEcKeyPair().getPrivateKey(), 64))
              .simulatedMarkets(MARKS, fillDelay)
              .venueCalendar(
                  calendar, calendar.equals(DaemonConfig.EXCHANGE) ? CALENDAR_SETTINGS : Map.of())
              .keeperInterval(Duration.ofMillis(500))
              .rateLimits(rateLimits)
              // A fresh seed per sandbox (held in memory only); the devnet admin mints the
              // test stablecoins for the faucet.
              .settlementWallets(
                  Numeric.toHexString(randomSeed()),
                  Numeric.toHexStringWithPrefixZeroPadded(
                      DevAccounts.admin().getEcKeyPair().getPrivateKey(), 64));
      // Webhook signing secrets sealed at rest under a fresh key per sandbox (memory only; the
      // sandbox's database is new each run), shared by its daemons.
      builder.secretsKey(Numeric.toHexStringNoPrefix(randomSeed()));
      clearingDelay.ifPresent(builder::simulatedClearingDelay);
      o.priceWalk().ifPresent(w -> builder.simulatedPriceWalk(w.getKey(), w.getValue()));
      DaemonConfig cfg = builder.build();
      Daemon daemon = Daemon.start(cfg, clock);
      List<Daemon> others = new ArrayList<>();
      for (int i = 1; i < daemons; i++) {
        others.add(Daemon.start(cfg.withApiPort(0), clock));
      }
      String key = daemon.apiKeys().create(TENANT, Mode.TEST, Scope.FULL);
      // The sandbox tenant's settlement wallet, funded with 1,000,000 USDC and USDT per chain;
      // ready once the funding is indexed, so the API shows what the ready line promises.
      String wallet = daemon.settlementWallets().ensureFunded(TENANT);
      daemon.customers().recordSettlementWallet(TENANT, dev.lockstep.ports.Mode.TEST, wallet);
      awaitFunded(daemon, wallet, 2 * chains.size());
      // The sandbox tenant's customers are the funded test wallets, each linked with a real proof
      // (the sandbox holds their keys and signs their challenges), so its key sees their state.
      for (int i = 0; i < SANDBOX_WALLETS; i++) {
        var holder = DevAccounts.wallet(i);
        daemon
            .customers()
            .upsert(TENANT, new CustomerRequest("sandbox-wallet-" + i, holder.getAddress(), null));
        var challenge =
            daemon
                .walletLinks()
                .challenge(
                    TENANT, holder.getAddress().toLowerCase(java.util.Locale.ROOT), CHAIN_ID);
        daemon
            .walletLinks()
            .prove(
                TENANT,
                challenge.id(),
                dev.lockstep.holder.HolderSigning.signDigest(
                    challenge.message().digest(), holder.getEcKeyPair()));
      }
      return new Sandbox(db, List.copyOf(anvils), deployments, daemon, others, key, url);
    } catch (RuntimeException e) {
      anvils.forEach(AnvilNode::close);
      db.close();
      throw e;
    }
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + daemon.apiPort();
  }

  /** The API URL of every daemon, the first one's first. */
  public List<String> apiUrls() {
    List<String> out = new ArrayList<>(List.of(apiUrl()));
    others.forEach(o -> out.add("http://127.0.0.1:" + o.apiPort()));
    return out;
  }

  public String apiKey() {
    return apiKey;
  }

  /** The anvil node of chain {@code chainId} (tests cause reorgs with its snapshot and revert). */
  public AnvilNode anvil(long chainId) {
    return anvils.stream().filter(a -> a.chainId() == chainId).findFirst().orElseThrow();
  }

  /** The deployment on the demo chain ({@link #CHAIN_ID}). */
  public ChainDeployment deployment() {
    return deployments.get(CHAIN_ID);
  }

  /** Every chain's deployment, by chain id in catalog order. */
  public Map<Long, ChainDeployment> deployments() {
    return deployments;
  }

  public Daemon daemon() {
    return daemon;
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  /**
   * The one-line JSON that {@code sandbox ready} prints: API URL and key, database, each chain's
   * RPC and contracts.
   */
  public String readyJson() {
    List<Map<String, Object>> chains = new ArrayList<>();
    for (AnvilNode anvil : anvils) {
      ChainDeployment d = deployments.get(anvil.chainId());
      Map<String, Object> chain = new LinkedHashMap<>();
      chain.put("chain_id", d.chainId());
      chain.put("name", ChainConfig.defaultName(d.chainId()));
      chain.put("rpc_url", anvil.rpcUrl());
      chain.put("ws_url", anvil.wsUrl());
      chain.put(
          "contracts",
          Map.of(
              "usdc",
              d.usdc(),
              "usdt",
              d.usdt(),
              "factory",
              d.factory(),
              "order_book",
              d.orderBook()));
      chains.add(chain);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("api_url", apiUrl());
    if (!others.isEmpty()) {
      out.put(
          "more_api_urls", others.stream().map(o -> "http://127.0.0.1:" + o.apiPort()).toList());
    }
    out.put("api_key", apiKey);
    out.put("settlement_wallet", daemon.settlementWallets().walletOf(TENANT));
    out.put("openapi_url", apiUrl() + "/v1/openapi.json");
    out.put("docs_url", apiUrl() + "/docs");
    out.put("database_url", databaseUrl);
    out.put("chains", chains);
    return JsonMapper.builder().build().writeValueAsString(out);
  }

  @Override
  public void close() {
    others.forEach(Daemon::close);
    daemon.close();
    anvils.forEach(AnvilNode::close);
    database.close();
  }
}
