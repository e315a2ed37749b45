package dev.lockstep.bench;

import static dev.lockstep.bench.BenchSupport.count;
import static dev.lockstep.bench.BenchSupport.percentile;
import static dev.lockstep.bench.BenchSupport.round;
import static dev.lockstep.bench.BenchSupport.say;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.api.auth.Scope;
import dev.lockstep.api.customer.CustomerRequest;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.BenchToken;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.devnet.RpcFaultProxy;
import dev.lockstep.indexer.Indexer;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.model.LogVerification;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.rpc.ChainRpc;
import dev.lockstep.indexer.sync.IndexListener;
import dev.lockstep.ports.Mode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.NoOpProcessor;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The indexer benchmark ({@code scripts/bench/indexer}). On a local anvil chain it generates at
 * least 1,000,000 real ERC-20 Transfer events (BenchToken.spray, spread over one block per
 * transaction and several tokens), then measures in one run:
 *
 * <ol>
 *   <li>backfill: the indexer alone (as {@code lockstep index} runs it, in this JVM) indexes the
 *       chain into a fresh database: the schema migration timed on its own, the backfill from the
 *       indexer's start until it commits the head block (events per second; peak heap sampled every
 *       20 ms, and the largest heap left after a collection);
 *   <li>the raw {@code eth_getLogs} limit: the same logs fetched with eth_getLogs alone, with the
 *       indexer's range size and concurrency, best of three runs;
 *   <li>the raw COPY limit: the same rows bulk-loaded with COPY alone into an identical table, in
 *       the indexer's batch size, after a VACUUM and CHECKPOINT (a quiet server), best of three
 *       runs (one run on a shared machine can come out far below the limit, which would flatter the
 *       fraction);
 *   <li>live mode, through the whole daemon resuming from that checkpoint: one-second blocks (mined
 *       on each whole second), one asset-token mint per block to a fresh wallet; the delay from the
 *       block's timestamp to the position being visible through {@code GET /v1/positions}, p50 and
 *       p99, at zero confirmations.
 * </ol>
 *
 * The last line printed is one JSON object with every figure.
 */
public final class IndexerBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Each raw limit is the best of this many runs. */
  private static final int RAW_RUNS = 3;

  private final long events;
  private final int perTx;
  private final int tokens;
  private final int liveBlocks;
  private final Path workDir;

  /** The indexer's target_logs_per_range; also the rows per transaction of the raw COPY limit. */
  private final int batchRows;

  /** The indexer's fetch_concurrency; also the raw eth_getLogs concurrency. */
  private final int fetchConcurrency;

  /** The chain's log verification mode (--verify none|bloom|receipts, default bloom). */
  private final LogVerification verification;

  private IndexerBench(
      long events,
      int perTx,
      int tokens,
      int liveBlocks,
      Path workDir,
      int batchRows,
      int fetchConcurrency,
      LogVerification verification) {
    this.verification = verification;
    this.batchRows = batchRows;
    this.fetchConcurrency = fetchConcurrency;
    this.events = events;
    this.perTx = perTx;
    this.tokens = tokens;
    this.liveBlocks = liveBlocks;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchSupport.options(args);
    new IndexerBench(
            Long.parseLong(opts.getOrDefault("events", "1000000")),
            Integer.parseInt(opts.getOrDefault("per-tx", "500")),
            Integer.parseInt(opts.getOrDefault("tokens", "4")),
            Integer.parseInt(opts.getOrDefault("live-blocks", "60")),
            Path.of(opts.getOrDefault("work-dir", "target/bench")),
            Integer.parseInt(opts.getOrDefault("target-logs", "10000")),
            Integer.parseInt(opts.getOrDefault("fetch-concurrency", "4")),
            LogVerification.valueOf(
                opts.getOrDefault("verify", "bloom").toUpperCase(java.util.Locale.ROOT)))
        .run(opts.containsKey("startup-only"));
    System.exit(0);
  }

  /**
   * @param startupOnly measure only the start-up of {@code lockstep index} (phase 0), then stop
   */
  private void run(boolean startupOnly) throws Exception {
    Files.createDirectories(workDir);
    Map<String, Object> out = new LinkedHashMap<>();
    try (EmbeddedDatabase db = EmbeddedDatabase.start(workDir.resolve("pg"));
        AnvilNode anvil = AnvilNode.start(31337, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), 31337, Duration.ofHours(1));
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));

      long g0 = System.nanoTime();
      List<String> benchTokens = generate(web3j);
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      double genSeconds = (System.nanoTime() - g0) / 1e9;
      say(
          "generated %,d transfers in %d tokens over blocks %d..%d in %.1f s",
          events, tokens, d.deployBlock(), head, genSeconds);

      ChainConfig.Builder chain =
          ChainConfig.builder(31337, anvil.rpcUrl(), d.factory(), d.orderBook())
              .wsUrl(anvil.wsUrl())
              .startBlock(d.deployBlock())
              .confirmations(0)
              .finalityDepth(64)
              .pollInterval(Duration.ofMillis(200))
              .targetLogsPerRange(batchRows)
              .fetchConcurrency(fetchConcurrency)
              .verification(verification)
              .stablecoin("USDC", d.usdc(), 6)
              .stablecoin("USDT", d.usdt(), 6);
      for (int i = 0; i < benchTokens.size(); i++) {
        chain.token(
            new ChainConfig.Erc20(
                "BT" + i, benchTokens.get(i), 6, TokenKind.ERC20, d.deployBlock()));
      }
      ChainConfig config = chain.build();

      // 0. Start-up of `lockstep index` as a new user runs it (scripts/lockstep, a fresh database,
      //    its schema migrated on the way): from the process launch to its first eth_getLogs, as
      //    seen by a proxy in front of the node. STARTUP_RUNS runs; the median is the figure.
      List<Double> startups = new ArrayList<>();
      for (int run = 0; run < STARTUP_RUNS; run++) {
        startups.add(startupToFirstFetch(db, config));
      }
      List<Double> sorted = startups.stream().sorted().toList();
      say("start-up to the first eth_getLogs (lockstep index, fresh database): %s s", startups);
      out.put("startup_to_first_fetch_seconds", sorted.get(sorted.size() / 2));
      out.put("startup_to_first_fetch_runs", startups);
      if (startupOnly) {
        System.out.println(JSON.writeValueAsString(out));
        return;
      }

      // 1. Backfill with the indexer alone (as `lockstep index` runs it) into a fresh database. The
      //    schema migration is timed on its own (a one-time install step, not indexing); the
      // backfill
      //    clock starts when the indexer starts and stops when it commits the head block, as its
      //    listener is told (no polling of the database, which would load the server it measures).
      String url = db.createDatabase("bench");
      HeapSampler heap = new HeapSampler();
      long indexed;
      try (HikariDataSource ds = pool(url);
          Connection c = DriverManager.getConnection(url)) {
        AtomicLong committed = new AtomicLong(-1);
        CountDownLatch atHead = new CountDownLatch(1);
        IndexListener listener =
            (chainId, block, orderEvents) -> {
              committed.set(block);
              if (block >= head) {
                atHead.countDown();
              }
            };
        long m0 = System.nanoTime();
        Indexer indexer =
            new Indexer(
                ds,
                List.of(config),
                new SimpleMeterRegistry(),
                List.of(listener),
                Clock.systemUTC());
        double migrationSeconds = (System.nanoTime() - m0) / 1e9;
        long b0 = System.nanoTime();
        indexer.start();
        try {
          // One progress line a second: warm-up (JIT) against steady state.
          while (!atHead.await(1, TimeUnit.SECONDS)) {
            say(
                "backfill: %.1f s: block %,d of %,d",
                (System.nanoTime() - b0) / 1e9, committed.get(), head);
          }
        } finally {
          indexer.close();
        }
        double seconds = (System.nanoTime() - b0) / 1e9;
        long peak = heap.stop();
        out.put("peak_heap_after_gc_mb", heap.peakAfterGc() >> 20);
        indexed = count(c, "SELECT count(*) FROM indexer.transfers");
        long rate = Math.round(indexed / seconds);
        say(
            "schema migration %.2f s; backfill: %,d transfers in %.2f s = %,d events/s; peak heap %d MB",
            migrationSeconds, indexed, seconds, rate, peak >> 20);
        out.put("events", indexed);
        out.put("verify", verification.dbValue());
        out.put("schema_migration_seconds", round(migrationSeconds));
        out.put("blocks", head - d.deployBlock() + 1);
        out.put("backfill_seconds", round(seconds));
        out.put("backfill_events_per_second", rate);
        out.put("peak_heap_mb", peak >> 20);
        out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
      }

      // 2. Raw eth_getLogs limit, same ranges and concurrency: the best of RAW_RUNS runs (a limit
      // is
      //    what the machine can do; one run on a shared VM can come out far low, flattering the
      // fraction).
      long logsRate = 0;
      for (int run = 0; run < RAW_RUNS; run++) {
        logsRate = Math.max(logsRate, rawGetLogs(config, d, benchTokens, head));
      }
      out.put("raw_eth_getlogs_events_per_second", logsRate);

      // 3. Raw COPY limit, same rows and batch size.
      long copyRate = rawCopy(db, url);
      out.put("raw_copy_events_per_second", copyRate);
      long lower = Math.min(logsRate, copyRate);
      out.put("lower_raw_limit_events_per_second", lower);
      out.put(
          "backfill_fraction_of_lower_limit",
          round((double) (long) out.get("backfill_events_per_second") / lower));

      // 4. Live mode with one-second blocks, through the whole daemon (it resumes from the
      // checkpoint).
      Daemon daemon =
          Daemon.start(
              DaemonConfig.builder(url, List.of(config), Mode.TEST)
                  .simulatedAttesterKey(DevAccounts.attesterKeyHex())
                  .localKeeperKey(
                      Numeric.toHexStringWithPrefixZeroPadded(
                          DevAccounts.keeper().getEcKeyPair().getPrivateKey(), 64))
                  .simulatedMarkets(Map.of(), Duration.ofSeconds(1))
                  .keeperInterval(Duration.ofSeconds(5))
                  .build(),
              Clock.systemUTC());
      String key = daemon.apiKeys().create("ten_bench", Mode.TEST, Scope.READ);
      List<Long> delays =
          live(
              anvil,
              web3j,
              d,
              daemon.apiPort(),
              key,
              wallet ->
                  daemon
                      .customers()
                      .upsert("ten_bench", new CustomerRequest("bench-" + wallet, wallet, null)));
      out.put("live_blocks", delays.size());
      out.put("live_delay_p50_ms", percentile(delays, 50));
      out.put("live_delay_p99_ms", percentile(delays, 99));
      out.put("live_delay_max_ms", percentile(delays, 100));
      out.put(
          "targets",
          Map.of("backfill_fraction_min", 0.6, "live_p99_ms_max", 250, "heap_mb_max", 512));
      daemon.close();
      web3j.shutdown();
    }
    System.out.println(JSON.writeValueAsString(out));
  }

  /** Runs of the start-up measurement. */
  private static final int STARTUP_RUNS = 3;

  /**
   * Seconds from launching {@code scripts/lockstep index --config …} (on a fresh database) to its
   * first {@code eth_getLogs}, which reaches the node through a proxy that notes the time.
   */
  private double startupToFirstFetch(EmbeddedDatabase db, ChainConfig chain) throws Exception {
    try (RpcFaultProxy proxy = RpcFaultProxy.start(chain.rpcUrl())) {
      String url = db.createDatabase("startup");
      Path config = workDir.resolve("startup.json");
      Files.writeString(
          config,
          JSON.writeValueAsString(
              Map.of(
                  "database_url",
                  url,
                  "chains",
                  List.of(
                      Map.of(
                          "chain_id",
                          chain.chainId(),
                          "rpc_urls",
                          List.of(proxy.url()),
                          "start_block",
                          chain.startBlock(),
                          "factory",
                          chain.factory().orElseThrow(),
                          "order_book",
                          chain.orderBook().orElseThrow())))));
      Path log = workDir.resolve("startup.log");
      long launched = System.nanoTime();
      Process p =
          new ProcessBuilder("scripts/lockstep", "index", "--config", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        long deadline = launched + Duration.ofSeconds(60).toNanos();
        while (proxy.firstGetLogsNanos().isEmpty()) {
          if (!p.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("lockstep index never fetched logs; see " + log);
          }
          Thread.sleep(5);
        }
        return round((proxy.firstGetLogsNanos().getAsLong() - launched) / 1e9);
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
    }
  }

  private static HikariDataSource pool(String url) {
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl(url);
    ds.setMaximumPoolSize(4);
    return ds;
  }

  /**
   * Deploys the bench tokens and sprays {@code events} transfers, one transaction per block
   * (automine).
   */
  private List<String> generate(Web3j web3j) throws Exception {
    Credentials admin = DevAccounts.admin();
    var gas =
        new StaticEIP1559GasProvider(
            31337,
            BigInteger.valueOf(50_000_000_000L),
            BigInteger.ONE,
            BigInteger.valueOf(8_000_000L));
    List<BenchToken> deployed = new ArrayList<>();
    for (int i = 0; i < tokens; i++) {
      deployed.add(
          BenchToken.deploy(
                  web3j,
                  ContractDeployer.transactionManager(web3j, admin, 31337),
                  gas,
                  "BT" + i,
                  BigInteger.TEN.pow(30))
              .send());
    }
    var fast = new FastRawTransactionManager(web3j, admin, 31337, new NoOpProcessor(web3j));
    List<BenchToken> sending =
        deployed.stream()
            .map(t -> BenchToken.load(t.getContractAddress(), web3j, fast, gas))
            .toList();
    long txs = (events + perTx - 1) / perTx;
    String last = null;
    for (long k = 0; k < txs; k++) {
      BenchToken t = sending.get((int) (k % tokens));
      last =
          t.spray(
                  BigInteger.valueOf((k * 50) % 1000),
                  BigInteger.valueOf(50),
                  BigInteger.valueOf(perTx),
                  BigInteger.ONE)
              .send()
              .getTransactionHash();
      if (k % 200 == 199) {
        say("generating: %,d / %,d transactions sent", k + 1, txs);
      }
    }
    var receipt = web3j.ethGetTransactionReceipt(last).send().getTransactionReceipt();
    while (receipt.isEmpty()) {
      Thread.sleep(50);
      receipt = web3j.ethGetTransactionReceipt(last).send().getTransactionReceipt();
    }
    if (!receipt.get().isStatusOK()) {
      throw new IllegalStateException("bench spray reverted: " + last);
    }
    return deployed.stream().map(t -> t.getContractAddress().toLowerCase()).toList();
  }

  private long rawGetLogs(
      ChainConfig config, ChainDeployment d, List<String> benchTokens, long head) throws Exception {
    List<String> addresses = new ArrayList<>(benchTokens);
    addresses.addAll(
        List.of(
            d.usdc().toLowerCase(),
            d.usdt().toLowerCase(),
            d.factory().toLowerCase(),
            d.orderBook().toLowerCase()));
    long range = Math.max(1, config.targetLogsPerRange() / perTx);
    AtomicLong logs = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(config.fetchConcurrency());
    try (ChainRpc rpc = new ChainRpc(config.rpcUrls(), config.requestTimeout(), 3, k -> {})) {
      long t0 = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (long from = d.deployBlock(); from <= head; from += range) {
        long f = from;
        long to = Math.min(head, from + range - 1);
        futures.add(
            pool.submit(
                () -> {
                  logs.addAndGet(rpc.logs(f, to, addresses, null).size());
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rate = Math.round(logs.get() / seconds);
      say(
          "raw eth_getLogs: %,d logs in %.2f s = %,d events/s (ranges of %d blocks, %d concurrent)",
          logs.get(), seconds, rate, range, config.fetchConcurrency());
      return rate;
    } finally {
      pool.shutdownNow();
    }
  }

  private long rawCopy(EmbeddedDatabase db, String indexedUrl) throws Exception {
    Path rows = workDir.resolve("transfers.copy");
    try (Connection c = DriverManager.getConnection(indexedUrl);
        BufferedWriter w = Files.newBufferedWriter(rows)) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut(
              """
          COPY (SELECT chain_id, block_number, log_index, block_hash, tx_hash, token, from_address, to_address, amount
                FROM indexer.transfers ORDER BY block_number, log_index) TO STDOUT""",
              w);
    }
    // Measure the limit on a quiet server: the backfill just wrote a million rows, and autovacuum
    // or a checkpoint running during the COPY would understate the limit.
    try (Connection c = DriverManager.getConnection(indexedUrl);
        var st = c.createStatement()) {
      st.execute("VACUUM ANALYZE");
      st.execute("CHECKPOINT");
    }
    long best = 0;
    try {
      for (int run = 0; run < RAW_RUNS; run++) {
        best = Math.max(best, rawCopyOnce(db.createDatabase("rawcopy"), rows));
      }
    } finally {
      Files.deleteIfExists(rows);
    }
    return best;
  }

  /**
   * One bulk load of the dumped rows into a fresh table of the indexer's shape; returns events per
   * second.
   */
  private long rawCopyOnce(String url, Path rows) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        BufferedReader r = Files.newBufferedReader(rows)) {
      c.createStatement()
          .execute(
              """
          CREATE TABLE transfers (chain_id bigint NOT NULL, block_number bigint NOT NULL, log_index int NOT NULL,
            block_hash text NOT NULL, tx_hash text NOT NULL, token text NOT NULL, from_address text NOT NULL,
            to_address text NOT NULL, amount numeric(78,0) NOT NULL, PRIMARY KEY (chain_id, block_number, log_index));
          CREATE INDEX transfers_token ON transfers (chain_id, token, block_number)""");
      c.setAutoCommit(false);
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      List<String> chunk = new ArrayList<>(batchRows);
      long total = 0;
      long elapsed = 0;
      String line;
      while ((line = r.readLine()) != null) {
        chunk.add(line);
        if (chunk.size() == batchRows) {
          elapsed += copyChunk(c, copy, chunk);
          total += chunk.size();
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        elapsed += copyChunk(c, copy, chunk);
        total += chunk.size();
      }
      double seconds = elapsed / 1e9;
      long rate = Math.round(total / seconds);
      say(
          "raw COPY: %,d rows in %.2f s = %,d events/s (%,d rows per transaction, same table shape)",
          total, seconds, rate, batchRows);
      return rate;
    }
  }

  private static long copyChunk(
      Connection c, org.postgresql.copy.CopyManager copy, List<String> chunk) throws Exception {
    byte[] bytes = (String.join("\n", chunk) + "\n").getBytes(StandardCharsets.US_ASCII);
    long t0 = System.nanoTime();
    copy.copyIn("COPY transfers FROM STDIN", new ByteArrayInputStream(bytes));
    c.commit();
    return System.nanoTime() - t0;
  }

  /**
   * One-second blocks mined on each whole second; returns per-block delays from block timestamp to
   * API visibility.
   */
  private List<Long> live(
      AnvilNode anvil,
      Web3j web3j,
      ChainDeployment d,
      int apiPort,
      String key,
      java.util.function.Consumer<String> registerCustomer)
      throws Exception {
    var gas = ContractDeployer.devnetGas(31337);
    // Minted by the sandbox's minter, a key of its own (the keeper holds no minter role).
    Credentials minter = DevAccounts.minter();
    rpc(anvil, "evm_setAutomine", List.of(false));
    AssetTokenFactory factory =
        AssetTokenFactory.load(
            d.factory(),
            web3j,
            new FastRawTransactionManager(web3j, minter, 31337, new NoOpProcessor(web3j)),
            gas);
    HttpClient http = HttpClient.newHttpClient();
    List<Long> delays = new ArrayList<>();
    for (int k = 0; k < liveBlocks + 3; k++) {
      String wallet = Keys.toChecksumAddress(Keys.getAddress(Keys.createEcKeyPair())).toLowerCase();
      // A tenant sees the positions of its customers' wallets only.
      registerCustomer.accept(wallet);
      String tx =
          factory.mint("AAPL", wallet, BigInteger.valueOf(1_000_000)).send().getTransactionHash();
      long now = System.currentTimeMillis();
      Thread.sleep(1000 - now % 1000 + 1);
      rpc(anvil, "evm_mine", List.of());
      var receipt = web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt().orElseThrow();
      long blockTime =
          web3j
                  .ethGetBlockByNumber(
                      DefaultBlockParameter.valueOf(receipt.getBlockNumber()), false)
                  .send()
                  .getBlock()
                  .getTimestamp()
                  .longValueExact()
              * 1000;
      HttpRequest get =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + apiPort + "/v1/positions?wallet=" + wallet))
              .header("Authorization", "Bearer " + key)
              .build();
      long deadline = System.currentTimeMillis() + 10_000;
      while (true) {
        HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
        JsonNode data = JSON.readTree(r.body()).path("data");
        if (data.isArray() && !data.isEmpty()) {
          if (k >= 3) { // the first blocks warm up the JIT and the connection
            delays.add(System.currentTimeMillis() - blockTime);
          }
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "block " + receipt.getBlockNumber() + " not visible through the API in 10 s");
        }
        Thread.sleep(2);
      }
    }
    say(
        "live: %d one-second blocks, delay block timestamp -> visible in API p50 %d ms, p99 %d ms",
        delays.size(), percentile(delays, 50), percentile(delays, 99));
    return delays;
  }

  private static void rpc(AnvilNode anvil, String method, List<?> params) throws IOException {
    var r =
        new Request<>(method, params, new HttpService(anvil.rpcUrl()), VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
  }

  /**
   * Samples used heap every 20 ms on a daemon thread; {@link #stop} returns the peak in bytes
   * (garbage included, so it approaches -Xmx under G1), {@link #peakAfterGc} the peak of what the
   * heap pools held right after a collection (the live set).
   */
  private static final class HeapSampler {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final Thread thread;

    HeapSampler() {
      System.gc();
      var memory = ManagementFactory.getMemoryMXBean();
      var heapPools =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(
                  p ->
                      p.getType() == java.lang.management.MemoryType.HEAP
                          && p.getCollectionUsage() != null)
              .toList();
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("heap-sampler")
              .start(
                  () -> {
                    while (running.get()) {
                      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                      long afterGc = 0;
                      for (var pool : heapPools) {
                        afterGc += pool.getCollectionUsage().getUsed();
                      }
                      peakAfterGc.accumulateAndGet(afterGc, Math::max);
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }

    long stop() throws InterruptedException {
      running.set(false);
      thread.join();
      return peak.get();
    }
  }
}
