package dev.lockstep.daemon;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.api.ApiServer;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ManagementServer;
import dev.lockstep.api.auth.ApiKeys;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.auth.FailureLimits;
import dev.lockstep.api.auth.KeyCache;
import dev.lockstep.api.auth.KeyRoutes;
import dev.lockstep.api.cache.Notifications;
import dev.lockstep.api.cache.TenantReads;
import dev.lockstep.api.catalog.CatalogRoutes;
import dev.lockstep.api.catalog.VenueRoutes;
import dev.lockstep.api.customer.CustomerRoutes;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.event.EventPublisher;
import dev.lockstep.api.event.EventRoutes;
import dev.lockstep.api.idempotency.Idempotency;
import dev.lockstep.api.order.OrderApi;
import dev.lockstep.api.ratelimit.RateLimits;
import dev.lockstep.api.sandbox.ErrorInjection;
import dev.lockstep.api.sandbox.RequestClock;
import dev.lockstep.api.sandbox.SandboxClockRoutes;
import dev.lockstep.api.sandbox.SandboxReset;
import dev.lockstep.api.wallet.SettlementWalletRoutes;
import dev.lockstep.api.wallet.SignatureCheck;
import dev.lockstep.api.wallet.WalletLinkRoutes;
import dev.lockstep.api.wallet.WalletLinks;
import dev.lockstep.api.webhook.RetrySchedule;
import dev.lockstep.api.webhook.WebhookDispatcher;
import dev.lockstep.api.webhook.WebhookRoutes;
import dev.lockstep.api.webhook.WebhookSecrets;
import dev.lockstep.api.webhook.WebhookSender;
import dev.lockstep.api.webhook.WebhookStore;
import dev.lockstep.daemon.config.ConfigException;
import dev.lockstep.indexer.Indexer;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.rpc.ChainRpc;
import dev.lockstep.indexer.rpc.Web3jTransport;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.SchemaMigrations;
import dev.lockstep.indexer.sync.ChainHealth;
import dev.lockstep.indexer.sync.IndexListener;
import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.broker.SimulatedBroker;
import dev.lockstep.keeper.job.KeeperScheduler;
import dev.lockstep.keeper.price.GasCost;
import dev.lockstep.keeper.price.SimulatedPriceFeed;
import dev.lockstep.keeper.redeem.KeeperOrderDesk;
import dev.lockstep.keeper.redeem.RedeemDuty;
import dev.lockstep.keeper.tx.KeeperRoles;
import dev.lockstep.keeper.tx.OrderBookCalls;
import dev.lockstep.keeper.tx.SignerPolicy;
import dev.lockstep.keeper.tx.TxEngine;
import dev.lockstep.keeper.tx.TxEngineConfig;
import dev.lockstep.keeper.tx.TxSigner;
import dev.lockstep.keeper.tx.TxStore;
import dev.lockstep.keeper.wallet.DerivedSettlementWallets;
import dev.lockstep.keeper.wallet.WalletOrders;
import dev.lockstep.ports.PriceFeed;
import dev.lockstep.ports.ShiftableClock;
import dev.lockstep.ports.VenueCalendar;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * One Lockstep process: migrates the database, then runs the {@link Indexer} (one follower per
 * chain), the keeper's scheduled duties (woken by each indexed batch) and the API. {@link #close}
 * stops them in reverse order.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  private final HikariDataSource dataSource;
  private final Map<Long, Web3j> clients = new HashMap<>();
  private final Indexer indexer;
  private final KeeperScheduler scheduler;
  private final ApiServer api;
  private final Optional<ManagementServer> management;
  private final Optional<Integer> managementPort;
  private final ApiKeys apiKeys;
  private final Notifications notifications;
  private final TenantReads reads;
  private final PrimeBroker broker;
  private final int apiPort;

  /**
   * This daemon in nonce leases and the Quartz cluster: {@code pid-<pid>-<random>}, so an operator
   * can tell which process holds what.
   */
  private final String instanceId =
      "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);

  private final Map<Long, RedeemDuty> duties;
  private final dev.lockstep.keeper.recon.DailyReconciliation reconciliation;

  /** How often the webhook loop publishes new events and sends due deliveries. */
  private static final Duration WEBHOOK_INTERVAL = Duration.ofMillis(250);

  private final CustomerStore customers;
  private final WalletLinks walletLinks;
  private final WebhookStore webhookStore;
  private final DerivedSettlementWallets settlementWallets;
  private final Optional<WalletOrders> walletOrders;
  private final PriceFeed prices;
  private final WebhookDispatcher webhooks;

  /** Signer balance under which the keeper raises its low-balance alert: 0.1 ETH. */
  private static final BigInteger LOW_BALANCE_WEI = BigInteger.TEN.pow(17);

  private final DaemonConfig config;

  /**
   * Refuses to start when the keeper key holds a role that mints, pauses or administers (each role
   * its own key); a node that cannot answer yet is logged and the check skipped.
   */
  private static void refuseOverpoweredKeeper(
      Web3j web3j, ChainConfig chain, String orderBook, String keeper) {
    List<String> held;
    try {
      held = KeeperRoles.forbiddenHeld(web3j, orderBook, keeper);
    } catch (Exception e) {
      log.warn(
          "chainId={}: could not check the keeper key's roles ({}); starting without the check",
          chain.chainId(),
          e.getMessage());
      return;
    }
    if (!held.isEmpty()) {
      throw new ConfigException(
          "keeper",
          List.of(
              "keeper key "
                  + keeper
                  + " on chain "
                  + chain.name()
                  + " holds "
                  + String.join(", ", held)
                  + ": the keeper may hold the order book's KEEPER_ROLE only; revoke the rest"
                  + " or give the keeper a key of its own"));
    }
  }

  private final Clock clock;

  /** The daemon's clock (the sandbox's moves with its chains' time). */
  public Clock clock() {
    return clock;
  }

  private Daemon(DaemonConfig cfg, Clock clock) {
    this.clock = clock;
    this.config = cfg;
    Adapters.checkLive(cfg.mode(), cfg.collaborators());
    Adapters.checkResolvable(cfg.collaborators());
    TxSigner keeperKey = Adapters.signer(cfg.collaborators(), clock);
    dataSource = dataSource(cfg.databaseUrl(), cfg.poolSize());
    for (String schema : List.of("keeper", "api")) {
      SchemaMigrations.migrate(dataSource, schema);
    }
    Jdbi jdbi = Jdbi.create(dataSource);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);

    // Order events the indexer commits (and rollbacks) wake that chain's keeper round.
    IndexListener wakeKeeper = this::indexed;
    indexer = new Indexer(dataSource, cfg.chains(), metrics, List.of(wakeKeeper), clock);
    IndexReader index = indexer.reader();

    VenueCalendar calendar = Adapters.venueCalendar(cfg.collaborators(), clock);
    // What the API answers with: the daemon's clock, shifted per request by a sandbox key's
    // X-Lockstep-Clock (only on the request's thread; every other thread keeps the daemon's time).
    RequestClock apiClock = new RequestClock(clock);
    // The simulated feed ticks on the API's clock: a request moved forward sees the marks the feed
    // would publish then (a frozen mark ages into staleness instead).
    prices = Adapters.priceFeed(cfg.collaborators(), apiClock);
    broker = Adapters.broker(cfg.collaborators(), jdbi, calendar, prices, clock);
    if (broker instanceof SimulatedBroker simulated
        && simulated.attesterAddress().equalsIgnoreCase(keeperKey.address())) {
      // Every on-chain role has its own key: a keeper that could attest its own fills could pay
      // any amount.
      throw new ConfigException(
          "broker",
          List.of(
              "broker.attester_private_key: the fill attester's key is the keeper's; give the"
                  + " attester a key of its own"));
    }
    Optional<TxSigner> pauserKey = Adapters.pauser(cfg.collaborators(), clock);
    if (pauserKey.filter(p -> p.address().equalsIgnoreCase(keeperKey.address())).isPresent()) {
      // Every on-chain role has its own key: a keeper that could pause could also resume minting.
      throw new ConfigException(
          "pauser",
          List.of("pauser.private_key: the pauser's key is the keeper's; give it its own"));
    }
    List<dev.lockstep.keeper.recon.DailyReconciliation.Chain> reconChains = new ArrayList<>();
    // Built once every chain is known; the keeper rounds that use it start after the constructor.
    java.util.concurrent.atomic.AtomicReference<dev.lockstep.keeper.recon.DailyReconciliation>
        reconHolder = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<dev.lockstep.keeper.recon.ReserveReporter>
        reserveHolder = new java.util.concurrent.atomic.AtomicReference<>();
    List<dev.lockstep.keeper.recon.ReserveReporter.Chain> reserveChains = new ArrayList<>();
    KeeperMetrics keeperMetrics = new KeeperMetrics(metrics);
    TxStore intents = TxStore.of(jdbi);
    Map<Long, RedeemDuty> duties = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    Map<Long, org.web3j.protocol.Web3jService> transports = new HashMap<>();
    Map<Long, KeeperOrderDesk.Deployer> deployers = new HashMap<>();
    Map<Long, WalletOrders.Book> books = new HashMap<>();
    Map<Long, TxEngineConfig> engineConfigs = new HashMap<>();
    GasCost gasCost = new GasCost(clients::get, prices);
    for (ChainConfig chain : cfg.chains()) {
      names.put(chain.chainId(), chain.name());
      // The indexer's JSON-RPC stack: the keeper too fails over to the chain's other rpc_urls.
      Web3jTransport transport =
          new Web3jTransport(new ChainRpc(chain.rpcUrls(), chain.requestTimeout(), 3, kind -> {}));
      transports.put(chain.chainId(), transport);
      if (chain.orderBook().isEmpty()) {
        continue; // nothing to keep on a chain without an order book: indexed only
      }
      String orderBook = chain.orderBook().get();
      Web3j web3j = Web3j.build(transport);
      clients.put(chain.chainId(), web3j);
      refuseOverpoweredKeeper(web3j, chain, orderBook, keeperKey.address());
      // The keeper calls the order book, and relays the broker's signed reserve reports through
      // the factory (the feed takes them only against the reserve attester's signature).
      Map<String, java.util.Set<String>> allowed = new HashMap<>();
      allowed.put(orderBook, OrderBookCalls.selectors());
      chain
          .factory()
          .ifPresent(
              f ->
                  allowed.put(
                      f.toLowerCase(java.util.Locale.ROOT),
                      java.util.Set.of(OrderBookCalls.REPORT_RESERVE_SELECTOR)));
      SignerPolicy policy = new SignerPolicy(allowed, LOW_BALANCE_WEI);
      TxEngineConfig engineConfig =
          cfg.keeperTx()
              .withConfirmations(Math.max(1, chain.confirmations()))
              .withFinalityDepth(chain.finalityDepth());
      engineConfigs.put(chain.chainId(), engineConfig);
      books.put(chain.chainId(), new WalletOrders.Book(orderBook, web3j));
      TxEngine engine =
          new TxEngine(
              chain.chainId(),
              web3j,
              keeperKey,
              policy,
              intents,
              engineConfig,
              keeperMetrics,
              OrderBookCalls.REVERTS,
              OrderBookCalls::alreadyDone,
              instanceId,
              clock);
      if (chain.factory().isPresent()) {
        String factory = chain.factory().get();
        // The pauser may call the factory's setMintPaused, nothing else.
        Optional<TxEngine> pauser =
            pauserKey.map(
                key ->
                    new TxEngine(
                        chain.chainId(),
                        web3j,
                        key,
                        new SignerPolicy(
                            Map.of(
                                factory,
                                java.util.Set.of(
                                    dev.lockstep.keeper.recon.DailyReconciliation.setMintPaused(
                                            "A", true)
                                        .substring(0, 10))),
                            LOW_BALANCE_WEI),
                        intents,
                        engineConfig,
                        keeperMetrics,
                        new dev.lockstep.keeper.tx.RevertDecoder(
                            dev.lockstep.contracts.generated.AssetTokenFactory.class),
                        e -> false,
                        instanceId,
                        clock));
        reserveChains.add(
            new dev.lockstep.keeper.recon.ReserveReporter.Chain(
                chain.chainId(), web3j, factory, engine));
        reconChains.add(
            new dev.lockstep.keeper.recon.DailyReconciliation.Chain(
                chain.chainId(),
                web3j,
                orderBook,
                factory,
                Math.max(1, chain.confirmations()),
                pauser));
        deployers.put(
            chain.chainId(),
            new KeeperOrderDesk.Deployer(
                engine,
                orderBook,
                dev.lockstep.contracts.generated.AssetTokenFactory.load(
                    chain.factory().get(),
                    web3j,
                    new org.web3j.tx.ReadonlyTransactionManager(web3j, keeperKey.address()),
                    new org.web3j.tx.gas.DefaultGasProvider())));
      }
      duties.put(
          chain.chainId(),
          new RedeemDuty(
              chain.chainId(),
              orderBook,
              index,
              broker,
              engine,
              intents.intents(),
              calendar,
              keeperMetrics,
              Duration.ofSeconds(30),
              this::brokerAnswerDue,
              gasCost,
              sessionFlagReader(web3j, orderBook, keeperKey.address()),
              prices,
              new dev.lockstep.keeper.fees.FeeSweeper(
                  chain.chainId(), orderBook, engine, index.ledger(), clock),
              new RedeemDuty.Books() {
                @Override
                public void round(long chainId) {
                  reconHolder.get().round(chainId);
                }

                @Override
                public java.util.Set<String> holdMints(
                    long chainId, Map<String, java.math.BigInteger> settling) {
                  return reserveHolder.get().holdMints(chainId, settling);
                }
              },
              clock));
    }
    this.duties = Map.copyOf(duties);
    reserveHolder.set(new dev.lockstep.keeper.recon.ReserveReporter(reserveChains, broker, clock));
    this.reconciliation =
        new dev.lockstep.keeper.recon.DailyReconciliation(
            reconChains, jdbi, index, broker, prices, keeperMetrics, reserveHolder.get(), clock);
    reconHolder.set(reconciliation);
    settlementWallets = Adapters.settlementWallets(cfg, jdbi, transports, clock);
    walletOrders =
        settlementWallets.configured()
            ? Optional.of(
                new WalletOrders(
                    settlementWallets,
                    jdbi,
                    books,
                    (chainId, signer) ->
                        new TxEngine(
                            chainId,
                            clients.get(chainId),
                            signer,
                            // A settlement wallet may approve its order book and create orders
                            // on it, nothing else.
                            new SignerPolicy(
                                Map.of(
                                    books.get(chainId).orderBook(),
                                    OrderBookCalls.walletSelectors()),
                                java.util.Set.of(books.get(chainId).orderBook()),
                                LOW_BALANCE_WEI),
                            intents,
                            engineConfigs.get(chainId),
                            keeperMetrics,
                            OrderBookCalls.REVERTS,
                            e -> false,
                            instanceId,
                            clock),
                    this::wakeChain,
                    clock))
            : Optional.empty();
    scheduler =
        new KeeperScheduler(
            dataSource,
            instanceId,
            duties,
            chainId -> walletOrders.ifPresent(w -> w.pump(chainId)),
            cfg.keeperInterval());
    notifications = Notifications.over(() -> listenerConnection(cfg.databaseUrl()));
    KeyCache keyCache = KeyCache.listening(notifications);
    reads = TenantReads.over(notifications, dataSource).bindTo(metrics);
    notifications.start();
    apiKeys = new ApiKeys(jdbi, apiClock, keyCache);
    ChainNames chainNames = new ChainNames(names);
    KeeperOrderDesk orderDesk =
        new KeeperOrderDesk(broker, scheduler::wakeAll, deployers, walletOrders, gasCost, clock);
    customers = new CustomerStore(jdbi, dataSource, apiClock, reads);
    Idempotency idempotency = new Idempotency(jdbi, dataSource, apiClock);
    Map<Long, Web3j> nodes = new HashMap<>();
    transports.forEach(
        (id, t) -> nodes.put(id, clients.containsKey(id) ? clients.get(id) : Web3j.build(t)));
    SignatureCheck signatures = new SignatureCheck(nodes);
    OrderApi orderApi =
        OrderApi.create(
            index,
            orderDesk,
            customers,
            settlementWallets,
            prices,
            chainNames,
            jdbi,
            ApiServer.jsonMapper(),
            signatures,
            calendar,
            reconciliation,
            apiClock);
    RateLimits rateLimits = new RateLimits(cfg.rateLimits(), dataSource);
    walletLinks = new WalletLinks(jdbi, signatures, apiClock, reads);
    WebhookSecrets webhookSecrets =
        cfg.secretsKeyHex().map(WebhookSecrets::sealedWith).orElseGet(WebhookSecrets::inClear);
    webhookStore = new WebhookStore(jdbi, apiClock, webhookSecrets);
    if (webhookSecrets.sealing()) {
      int sealed = webhookStore.sealClearSecrets();
      if (sealed > 0) {
        log.info("sealed {} webhook signing secret(s) stored in clear before", sealed);
      }
    } else {
      log.warn(
          "no secrets key configured (secrets_key_env): webhook signing secrets are stored in"
              + " clear; a live daemon refuses to start so");
    }
    webhooks =
        new WebhookDispatcher(
            jdbi,
            new EventPublisher(
                jdbi,
                indexer.outbox(),
                chainNames,
                cfg.mode(),
                new dev.lockstep.api.order.OrderFates(index, orderDesk),
                orderDesk,
                index,
                reconciliation,
                ApiServer.jsonMapper(),
                clock),
            new WebhookSender(clock),
            RetrySchedule.withRandomJitter(),
            List.of(
                idempotency::purgeExpired,
                rateLimits::removeExpired,
                orderApi.quoteStore()::purgeExpired,
                walletLinks::purgeExpired),
            clock,
            webhookSecrets);
    ApiServer.Parts parts =
        new ApiServer.Parts(
            new Authenticator(apiKeys, cfg.mode(), FailureLimits.defaults()),
            rateLimits,
            idempotency,
            new CatalogRoutes(
                index,
                chainNames,
                indexer::health,
                customers,
                prices,
                orderDesk,
                calendar,
                apiClock),
            new VenueRoutes(calendar, apiClock),
            orderApi,
            new CustomerRoutes(customers),
            new EventRoutes(jdbi, ApiServer.jsonMapper()),
            new WebhookRoutes(webhookStore, cfg.mode()),
            new KeyRoutes(apiKeys),
            new SettlementWalletRoutes(settlementWallets, index, chainNames),
            new WalletLinkRoutes(walletLinks, chainNames, cfg.chains().getFirst().chainId()),
            new SandboxClockRoutes(
                cfg.mode() == dev.lockstep.ports.Mode.TEST
                        && clock instanceof ShiftableClock shiftable
                    ? Optional.of(new ChainTimeTravel(shiftable, transports))
                    : Optional.empty(),
                chainNames),
            apiClock,
            new ErrorInjection(apiClock),
            new SandboxReset(jdbi, index, orderDesk, settlementWallets, chainNames, reads));
    ManagementServer.Sources operator =
        new ManagementServer.Sources(
            metrics,
            () -> !dataSource.isClosed(),
            indexer::health,
            () -> this.duties.values().stream().map(d -> d.engine().status()).toList());
    api = new ApiServer(parts, operator, cfg.management().isEmpty());
    management =
        cfg.management().map(m -> new ManagementServer(operator, Optional.of(reconciliation)));
    indexer.start();
    scheduler.start();
    webhooks.start(WEBHOOK_INTERVAL);
    apiPort = api.start(cfg.apiHost(), cfg.apiPort());
    managementPort = cfg.management().map(m -> management.orElseThrow().start(m.host(), m.port()));
  }

  /** The line printed once the daemon runs. */
  String banner() {
    return "lockstep running: API on port "
        + apiPort
        + managementPort.map(p -> ", /metrics and /health on port " + p).orElse("")
        + ", "
        + chainHealth().size()
        + " chain(s)";
  }

  /** The port of /metrics and /health, if the configuration gave them one of their own. */
  public Optional<Integer> managementPort() {
    return managementPort;
  }

  /**
   * Order events committed by the indexer wake that chain's keeper round at once (followers start
   * after the scheduler exists).
   */
  private void indexed(long chainId, long block, boolean orderEvents) {
    if (orderEvents) {
      scheduler.wake(chainId);
    }
  }

  private void wakeChain(long chainId) {
    scheduler.wake(chainId);
  }

  private void brokerAnswerDue(long chainId, java.time.Instant when) {
    scheduler.wakeAt(chainId, when);
  }

  /** Starts every part of the daemon. */
  public static Daemon start(DaemonConfig cfg, Clock clock) {
    return new Daemon(cfg, clock);
  }

  /** The configuration this daemon runs with. */
  public DaemonConfig config() {
    return config;
  }

  /** The port the API listens on. */
  public int apiPort() {
    return apiPort;
  }

  /** API key administration. */
  public ApiKeys apiKeys() {
    return apiKeys;
  }

  /** Every chain's sync state. */
  public List<ChainHealth> chainHealth() {
    return indexer.health();
  }

  /** The tenants' customers (the sandbox registers its test wallets). */
  /** The wallets tenants have proven (the sandbox links its test wallets through it). */
  public WalletLinks walletLinks() {
    return walletLinks;
  }

  /** The webhook subscriptions (tests seal secrets written in clear behind the daemon's back). */
  public WebhookStore webhookStore() {
    return webhookStore;
  }

  public CustomerStore customers() {
    return customers;
  }

  /** Read access to the indexed state. */
  public IndexReader index() {
    return indexer.reader();
  }

  /** The tenants' settlement wallets (derived keys; the sandbox faucet). */
  public DerivedSettlementWallets settlementWallets() {
    return settlementWallets;
  }

  /**
   * The simulated price feed (freeze a symbol to see its NAV go stale).
   *
   * @throws IllegalStateException if the price feed is a real adapter
   */
  public SimulatedPriceFeed prices() {
    if (prices instanceof SimulatedPriceFeed simulated) {
      return simulated;
    }
    throw new IllegalStateException("the price feed is not the simulator");
  }

  /**
   * The simulated prime broker (for failure injection in the sandbox).
   *
   * @throws IllegalStateException if the broker is a real adapter
   */
  /** The daily reconciliation (reports, breaks, clearing). */
  public dev.lockstep.ports.Reconciliation reconciliation() {
    return reconciliation;
  }

  public SimulatedBroker broker() {
    if (broker instanceof SimulatedBroker simulated) {
      return simulated;
    }
    throw new IllegalStateException("the broker is not the simulator");
  }

  /**
   * The key cache's own connection (held for the daemon's life, outside the pool): reads time out
   * after 10 s, so a silently dead connection is noticed by the cache's heartbeat.
   */
  private static java.sql.Connection listenerConnection(String url) throws java.sql.SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("socketTimeout", "10");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", Notifications.APPLICATION_NAME);
    return java.sql.DriverManager.getConnection(url, p);
  }

  /** Reads an order book's session flag at the latest block. */
  private static java.util.function.BooleanSupplier sessionFlagReader(
      Web3j web3j, String orderBook, String from) {
    var book =
        dev.lockstep.contracts.generated.OrderBook.load(
            orderBook,
            web3j,
            new org.web3j.tx.ReadonlyTransactionManager(web3j, from),
            new org.web3j.tx.gas.DefaultGasProvider());
    return () -> {
      try {
        return book.sessionOpen().send();
      } catch (Exception e) {
        throw new IllegalStateException("sessionOpen() of " + orderBook + ": " + e.getMessage(), e);
      }
    };
  }

  private static HikariDataSource dataSource(String url, int poolSize) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(poolSize);
    c.setPoolName("lockstep");
    return new HikariDataSource(c);
  }

  /**
   * Stops in order: the API stops taking requests, the webhook loop and the keeper's jobs stop, the
   * nonce leases are released (another daemon takes over at once), the chain followers stop, then
   * the pool closes. Each step that fails is one WARN line and the stop goes on; with the database
   * already gone, connection attempts give up after {@link #STOP_CONNECTION_TIMEOUT}.
   */
  @Override
  public void close() {
    dataSource.getHikariConfigMXBean().setConnectionTimeout(STOP_CONNECTION_TIMEOUT.toMillis());
    step("API", api::close);
    management.ifPresent(m -> step("management endpoints", m::close));
    step("webhook loop", webhooks::close);
    step("keeper scheduler", scheduler::close);
    duties.values().forEach(d -> step("nonce lease release", () -> d.engine().release()));
    walletOrders.ifPresent(w -> step("settlement wallets", w::close));
    step("indexer", indexer::close);
    step("read cache notifications", reads::close);
    step("database listener", notifications::close);
    clients.values().forEach(Web3j::shutdown);
    step("database pool", dataSource::close);
  }

  /** How long a connection attempt may wait while the daemon stops. */
  private static final Duration STOP_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

  private static void step(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("stopping {}: {}", what, e.toString());
    }
  }
}
