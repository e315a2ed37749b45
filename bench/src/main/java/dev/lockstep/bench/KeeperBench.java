package dev.lockstep.bench;

import static dev.lockstep.bench.BenchSupport.count;
import static dev.lockstep.bench.BenchSupport.percentile;
import static dev.lockstep.bench.BenchSupport.round;
import static dev.lockstep.bench.BenchSupport.say;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.keeper.tx.TxEngineConfig;
import dev.lockstep.ports.Mode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.NoOpProcessor;
import org.web3j.utils.Numeric;
import tools.jackson.databind.json.JsonMapper;

/**
 * The keeper benchmark ({@code scripts/bench/keeper}). On a local anvil chain, {@code orders}
 * redeem orders are created ACTIVE (automine, before the daemon starts); then the chain switches to
 * interval mining ({@code block-time} seconds per block) and the whole daemon starts: the indexer
 * sees every order ACTIVE at once, the keeper asks the simulated broker to offset each, the fills
 * arrive after {@code fill-delay}, and the keeper settles them. Prints, from one run:
 *
 * <ul>
 *   <li>the bound: the block gas limit divided by the measured gas of one settle (median of the
 *       settles' receipts), and the settles per block achieved (all settles over the blocks from
 *       the first to the last that holds one), and its fraction of the bound;
 *   <li>p50 and p99 of the time from a broker fill (the leg's answer time) to the timestamp of the
 *       block that holds the order's settle;
 *   <li>failed intents (anything but confirmed) and duplicates (orders with more than one
 *       OrderSettled event on chain).
 * </ul>
 *
 * The last line printed is one JSON object with every figure.
 */
public final class KeeperBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final int orders;
  private final int blockTimeSeconds;
  private final Duration fillDelay;
  private final Path workDir;

  private KeeperBench(int orders, int blockTimeSeconds, Duration fillDelay, Path workDir) {
    this.orders = orders;
    this.blockTimeSeconds = blockTimeSeconds;
    this.fillDelay = fillDelay;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchSupport.options(args);
    new KeeperBench(
            Integer.parseInt(opts.getOrDefault("orders", "5000")),
            Integer.parseInt(opts.getOrDefault("block-time", "2")),
            Duration.parse(opts.getOrDefault("fill-delay", "PT1S")),
            Path.of(opts.getOrDefault("work-dir", "target/bench-keeper")))
        .run();
    System.exit(0);
  }

  private void run() throws Exception {
    Files.createDirectories(workDir);
    Map<String, Object> out = new LinkedHashMap<>();
    long chainId = 31337;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(workDir.resolve("pg"));
        AnvilNode anvil = AnvilNode.start(chainId, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), chainId, Duration.ofDays(30));
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      long t0 = System.nanoTime();
      createOrders(web3j, anvil, d, chainId);
      say("created %,d ACTIVE orders in %.1f s", orders, (System.nanoTime() - t0) / 1e9);

      anvil.automine(false);
      anvil.control("evm_setIntervalMining", "[" + blockTimeSeconds + "]");
      String url = db.createDatabase("keeper");
      ChainConfig chain =
          ChainConfig.builder(chainId, anvil.rpcUrl(), d.factory(), d.orderBook())
              .wsUrl(anvil.wsUrl())
              .startBlock(d.deployBlock())
              .pollInterval(Duration.ofMillis(200))
              .stablecoin("USDC", d.usdc(), 6)
              .build();
      TxEngineConfig tx = TxEngineConfig.defaults();
      long started = System.nanoTime();
      Daemon daemon =
          Daemon.start(
              DaemonConfig.builder(url, List.of(chain), Mode.TEST)
                  .simulatedAttesterKey(DevAccounts.attesterKeyHex())
                  .localKeeperKey(
                      Numeric.toHexStringWithPrefixZeroPadded(
                          DevAccounts.keeper().getEcKeyPair().getPrivateKey(), 64))
                  .simulatedMarkets(Map.of("AAPL", new BigDecimal("150")), fillDelay)
                  .keeperInterval(Duration.ofMillis(500))
                  .keeperTx(tx)
                  .build(),
              Clock.systemUTC());
      try (Connection c = DriverManager.getConnection(url)) {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        long done = 0;
        long lastSay = 0;
        while (done < orders && System.nanoTime() < deadline) {
          Thread.sleep(500);
          done =
              tableExists(c)
                  ? count(
                      c,
                      "SELECT count(*) FROM keeper.tx_intents WHERE action = 'settle' AND status IN ('confirmed', 'failed', 'reverted', 'done_by_other')")
                  : 0;
          if (System.nanoTime() - lastSay > 5e9) {
            say("settles closed: %,d / %,d", done, orders);
            lastSay = System.nanoTime();
          }
        }
        say(
            "all settles closed %.1f s after the daemon started",
            (System.nanoTime() - started) / 1e9);
        measure(c, web3j, d, out);
      } finally {
        daemon.close();
        web3j.shutdown();
      }
    }
    out.put(
        "targets", Map.of("fraction_of_bound_min", 0.9, "duplicates_max", 0, "failures_max", 0));
    System.out.println(JSON.writeValueAsString(out));
  }

  private static boolean tableExists(Connection c) throws Exception {
    try (ResultSet rs =
        c.createStatement().executeQuery("SELECT to_regclass('keeper.tx_intents') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private void measure(Connection c, Web3j web3j, ChainDeployment d, Map<String, Object> out)
      throws Exception {
    Map<Long, Long> fillMillis = new HashMap<>();
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT order_id, resolves_at FROM keeper.broker_legs WHERE status = 'filled'")) {
      while (rs.next()) {
        fillMillis.put(rs.getLong(1), rs.getTimestamp(2).toInstant().toEpochMilli());
      }
    }
    TreeMap<Long, Integer> perBlock = new TreeMap<>();
    Map<Long, Long> minedBlockOf = new HashMap<>();
    List<String> sampleHashes = new ArrayList<>();
    long failed;
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                """
        SELECT order_id, mined_block, mined_tx_hash FROM keeper.tx_intents
        WHERE action = 'settle' AND status = 'confirmed'""")) {
      while (rs.next()) {
        perBlock.merge(rs.getLong(2), 1, Integer::sum);
        minedBlockOf.put(rs.getLong(1), rs.getLong(2));
        if (sampleHashes.size() < 50) {
          sampleHashes.add(rs.getString(3));
        }
      }
    }
    failed =
        count(
            c,
            "SELECT count(*) FROM keeper.tx_intents WHERE action = 'settle' AND status <> 'confirmed'");
    long confirmed = minedBlockOf.size();

    List<Long> gas = new ArrayList<>();
    for (String h : sampleHashes) {
      gas.add(
          web3j
              .ethGetTransactionReceipt(h)
              .send()
              .getTransactionReceipt()
              .orElseThrow()
              .getGasUsed()
              .longValueExact());
    }
    long settleGas = gas.isEmpty() ? 0 : percentile(gas, 50);
    long gasLimit =
        web3j
            .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
            .send()
            .getBlock()
            .getGasLimit()
            .longValueExact();
    long bound = settleGas == 0 ? 0 : gasLimit / settleGas;
    long blocks = perBlock.isEmpty() ? 0 : perBlock.lastKey() - perBlock.firstKey() + 1;
    double perBlockAchieved = blocks == 0 ? 0 : (double) confirmed / blocks;

    Map<Long, Long> blockMillis = new HashMap<>();
    for (long b : perBlock.keySet()) {
      blockMillis.put(
          b,
          web3j
                  .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), false)
                  .send()
                  .getBlock()
                  .getTimestamp()
                  .longValueExact()
              * 1000);
    }
    List<Long> fillToMined = new ArrayList<>();
    minedBlockOf.forEach(
        (order, block) -> {
          Long fill = fillMillis.get(order);
          if (fill != null) {
            fillToMined.add(Math.max(0, blockMillis.get(block) - fill));
          }
        });

    Map<Long, Integer> settledEvents = new HashMap<>();
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, d.orderBook());
    filter.addSingleTopic(EventEncoder.encode(OrderBook.ORDERSETTLED_EVENT));
    for (var l : web3j.ethGetLogs(filter).send().getLogs()) {
      settledEvents.merge(
          Numeric.toBigInt(((Log) l.get()).getTopics().get(1)).longValueExact(), 1, Integer::sum);
    }
    long duplicates = settledEvents.values().stream().mapToLong(n -> n - 1).sum();

    say(
        "settle gas %,d (median of %d receipts), block gas limit %,d: bound %,d settles per block",
        settleGas, gas.size(), gasLimit, bound);
    say(
        "settles: %,d confirmed over %,d blocks = %.1f per block (max %d) = %.2f of the bound",
        confirmed,
        blocks,
        perBlockAchieved,
        perBlock.values().stream().mapToInt(Integer::intValue).max().orElse(0),
        bound == 0 ? 0 : perBlockAchieved / bound);
    if (!fillToMined.isEmpty()) {
      say(
          "broker fill -> mined settle: p50 %,d ms, p99 %,d ms (block timestamps: 1 s resolution)",
          percentile(fillToMined, 50), percentile(fillToMined, 99));
    }
    say("failed %d, duplicates %d", failed, duplicates);
    out.put("orders", orders);
    out.put("block_time_seconds", blockTimeSeconds);
    out.put("settles_confirmed", confirmed);
    out.put("settle_gas", settleGas);
    out.put("block_gas_limit", gasLimit);
    out.put("bound_settles_per_block", bound);
    out.put("blocks_with_settles_span", blocks);
    out.put("settles_per_block", round(perBlockAchieved));
    out.put(
        "max_settles_in_a_block",
        perBlock.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    out.put("fraction_of_bound", bound == 0 ? 0 : round(perBlockAchieved / bound));
    out.put("fill_to_mined_p50_ms", fillToMined.isEmpty() ? null : percentile(fillToMined, 50));
    out.put("fill_to_mined_p99_ms", fillToMined.isEmpty() ? null : percentile(fillToMined, 99));
    out.put("failed", failed);
    out.put("duplicates", duplicates);
  }

  /**
   * ACTIVE orders of one share each from wallet 0: sent to the pool with automine off, then mined
   * in full blocks (one block per order would make anvil keep thousands of block states in memory).
   */
  private void createOrders(Web3j web3j, AnvilNode anvil, ChainDeployment d, long chainId)
      throws Exception {
    Credentials owner = DevAccounts.wallet(0);
    BigInteger one = BigInteger.TEN.pow(6);
    String aapl =
        ContractDeployer.fundRedeemer(
            web3j, d, owner, "AAPL", one.multiply(BigInteger.valueOf(orders)));
    var fast = new FastRawTransactionManager(web3j, owner, chainId, new NoOpProcessor(web3j));
    var fixed =
        new StaticEIP1559GasProvider(
            chainId,
            BigInteger.valueOf(50_000_000_000L),
            BigInteger.ONE,
            BigInteger.valueOf(400_000));
    OrderBook book = OrderBook.load(d.orderBook(), web3j, fast, fixed);
    anvil.automine(false);
    String last = null;
    for (int i = 0; i < orders; i++) {
      last =
          book.createRedeem(aapl, one, d.usdc(), BigInteger.valueOf(1_000_000), owner.getAddress())
              .send()
              .getTransactionHash();
    }
    var receipt = web3j.ethGetTransactionReceipt(last).send().getTransactionReceipt();
    while (receipt.isEmpty()) {
      anvil.mine(1);
      receipt = web3j.ethGetTransactionReceipt(last).send().getTransactionReceipt();
    }
    if (!receipt.get().isStatusOK()) {
      throw new IllegalStateException("createRedeem reverted: " + last);
    }
  }
}
