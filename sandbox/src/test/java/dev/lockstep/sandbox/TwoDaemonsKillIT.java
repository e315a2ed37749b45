package dev.lockstep.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Two daemons ({@code lockstep run}, separate processes) keep one chain from one database. Orders
 * turn ACTIVE, fills arrive, settles go out; mid-flight the daemon holding the keeper's nonce lease
 * is killed with SIGKILL. The other takes over: every order is settled exactly once on chain and
 * none is left behind.
 */
class TwoDaemonsKillIT {
  private static final int ORDERS = 24;
  private static final Pattern HOLDER_PID = Pattern.compile("^pid-(\\d+)-");

  @Test
  void killingTheLeaseHolderMidFlightLeavesNoOrderSettledTwiceOrBehind() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-two"));
        AnvilNode anvil = AnvilNode.start(31337, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), 31337, Duration.ofHours(1));
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      String url = db.createDatabase("two");
      Path config = config(d, anvil, url, "two-daemons.json");
      Process first = daemon(config, "a");
      Process second = daemon(config, "b");
      try (Connection c = DriverManager.getConnection(url)) {
        List<Long> orders = new java.util.ArrayList<>(createOrders(web3j, d, ORDERS / 2));
        await(
            c,
            "SELECT count(*) >= 3 FROM keeper.tx_intents WHERE action = 'settle' AND status = 'confirmed'",
            first,
            second);

        long holderPid = leaseHolderPid(c);
        Process holder = holderPid == first.pid() ? first : second;
        Process survivor = holder == first ? second : first;
        assertThat(holder.pid()).isEqualTo(holderPid);
        holder.destroyForcibly(); // SIGKILL mid-flight: whatever it was sending is cut
        holder.waitFor();
        orders.addAll(
            createOrders(web3j, d, ORDERS - ORDERS / 2)); // and more work arrives after it died

        await(
            c,
            "SELECT count(*) = %d FROM keeper.tx_intents WHERE action = 'settle' AND status = 'confirmed'"
                .formatted(ORDERS),
            survivor);
        assertThat(leaseHolderPid(c)).isEqualTo(survivor.pid());

        OrderBook book =
            OrderBook.load(
                d.orderBook(),
                web3j,
                ContractDeployer.transactionManager(web3j, DevAccounts.keeper(), 31337),
                ContractDeployer.devnetGas(31337));
        for (long o : orders) {
          assertThat(book.statusOf(BigInteger.valueOf(o)).send().intValueExact())
              .as("order " + o)
              .isEqualTo(3);
        }
        Map<Long, Integer> settledEvents = new HashMap<>();
        EthFilter filter =
            new EthFilter(
                DefaultBlockParameterName.EARLIEST,
                DefaultBlockParameterName.LATEST,
                d.orderBook());
        filter.addSingleTopic(EventEncoder.encode(OrderBook.ORDERSETTLED_EVENT));
        for (var l : web3j.ethGetLogs(filter).send().getLogs()) {
          long id = Numeric.toBigInt(((Log) l.get()).getTopics().get(1)).longValueExact();
          settledEvents.merge(id, 1, Integer::sum);
        }
        assertThat(settledEvents)
            .hasSize(ORDERS)
            .allSatisfy((id, n) -> assertThat(n).as("settles of " + id).isEqualTo(1));
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    """
            SELECT count(*) FILTER (WHERE status NOT IN ('confirmed')), count(DISTINCT order_id), count(*)
            FROM keeper.tx_intents WHERE action = 'settle'""")) {
          rs.next();
          assertThat(rs.getInt(1)).as("settle intents not confirmed").isZero();
          assertThat(rs.getInt(2)).isEqualTo(ORDERS);
          assertThat(rs.getInt(3)).as("one settle intent per order").isEqualTo(ORDERS);
        }
      } finally {
        first.destroyForcibly().waitFor();
        second.destroyForcibly().waitFor();
        web3j.shutdown();
      }
    }
  }

  /**
   * Developer fees sweep exactly once with daemons racing: fees accrue from settled redeems, then
   * two fresh daemons start together (each runs the day's sweep in its first keeper round, under
   * the same intent key) and the one holding the keeper's nonce lease is killed with SIGKILL as
   * soon as the sweep is decided. The survivor finishes it: one {@code DeveloperFeesSwept}, the
   * recipient paid exactly its fees, the escrow empty.
   */
  @Test
  void aFeeSweepWithTwoDaemonsRacingAndOneKilledPaysTheRecipientOnce() throws Exception {
    String dev = "0x00000000000000000000000000000000000fee02";
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-two-sweep"));
        AnvilNode anvil = AnvilNode.start(31337, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), 31337, Duration.ofHours(1));
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      String url = db.createDatabase("twosweep");
      Path config = config(d, anvil, url, "two-daemons-sweep.json");
      var gas = ContractDeployer.devnetGas(31337);
      Credentials owner = DevAccounts.wallet(0);
      BigInteger tenShares = BigInteger.TEN.pow(7);
      String aapl =
          ContractDeployer.fundRedeemer(
              web3j, d, owner, "AAPL", tenShares.multiply(BigInteger.valueOf(3)));
      OrderBook ownerBook =
          OrderBook.load(
              d.orderBook(), web3j, ContractDeployer.transactionManager(web3j, owner, 31337), gas);
      BigInteger minFee = ownerBook.minPlatformFeeBps().send();
      for (int i = 0; i < 3; i++) {
        // 10 shares at 150 with a 1% developer fee: 15 USDC each to the recipient's escrow.
        ownerBook
            .createRedeemWithTerms(
                aapl,
                tenShares,
                d.usdc(),
                BigInteger.ONE,
                owner.getAddress(),
                new OrderBook.Terms(
                    minFee, BigInteger.valueOf(100), dev, BigInteger.ZERO, BigInteger.ZERO))
            .send();
      }
      OrderBook book =
          OrderBook.load(
              d.orderBook(),
              web3j,
              ContractDeployer.transactionManager(web3j, DevAccounts.keeper(), 31337),
              gas);
      Process first = daemon(config, "sweep-a");
      Process second = null;
      Process third = null;
      try (Connection c = DriverManager.getConnection(url)) {
        await(
            c,
            "SELECT count(*) = 3 FROM keeper.tx_intents WHERE action = 'settle' AND status = 'confirmed'",
            first);
        await(
            c,
            "SELECT count(*) = 3 FROM indexer.ledger_entries WHERE kind = 'developer_fee'",
            first);
        first.destroyForcibly().waitFor(); // the day's sweep ran in its first round, before any fee
        BigInteger fees = book.developerFeesOf(dev, d.usdc()).send();
        assertThat(fees).isEqualTo(BigInteger.valueOf(45_000_000));

        second = daemon(config, "sweep-b");
        third = daemon(config, "sweep-c");
        await(
            c,
            "SELECT count(*) >= 1 FROM keeper.tx_intents WHERE action = 'sweep_fees'",
            second,
            third);
        long holderPid = leaseHolderPid(c);
        Process holder = holderPid == second.pid() ? second : third;
        Process survivor = holder == second ? third : second;
        holder.destroyForcibly().waitFor(); // SIGKILL with the sweep decided, maybe in flight
        await(
            c,
            "SELECT count(*) = 1 FROM keeper.tx_intents WHERE action = 'sweep_fees' AND status IN ('confirmed', 'done_by_other')",
            survivor);

        TestStablecoin usdc =
            TestStablecoin.load(
                d.usdc(), web3j, new org.web3j.tx.ReadonlyTransactionManager(web3j, dev), gas);
        assertThat(usdc.balanceOf(dev).send())
            .as("the recipient is paid its fees once")
            .isEqualTo(fees);
        assertThat(book.developerFeesOf(dev, d.usdc()).send()).as("the escrow is empty").isZero();
        EthFilter filter =
            new EthFilter(
                DefaultBlockParameterName.EARLIEST,
                DefaultBlockParameterName.LATEST,
                d.orderBook());
        filter.addSingleTopic(EventEncoder.encode(OrderBook.DEVELOPERFEESSWEPT_EVENT));
        assertThat(web3j.ethGetLogs(filter).send().getLogs()).as("one sweep on chain").hasSize(1);
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM keeper.tx_intents WHERE action = 'sweep_fees'")) {
          rs.next();
          assertThat(rs.getInt(1)).as("one sweep intent across the daemons").isEqualTo(1);
        }
      } finally {
        first.destroyForcibly().waitFor();
        if (second != null) {
          second.destroyForcibly().waitFor();
        }
        if (third != null) {
          third.destroyForcibly().waitFor();
        }
        web3j.shutdown();
      }
    }
  }

  /** Writes the daemons' configuration for {@code url} and the deployment to {@code file}. */
  private static Path config(ChainDeployment d, AnvilNode anvil, String url, String file)
      throws Exception {
    Path config = Path.of("target", file);
    Files.writeString(
        config,
        """
          {"database_url": "%s", "keeper_private_key": "%s", "api_host": "127.0.0.1", "api_port": 0, "mode": "test",
           "mark_prices_usd": {"AAPL": 150}, "broker": {"adapter": "simulated", "fill_delay": "PT1S", "attester_private_key": "%s"}, "keeper_interval": "PT0.5S",
           "keeper_tx": {"confirmations": 1, "max_fee_per_gas_cap_wei": 500000000000, "min_priority_fee_wei": 1000000000,
                         "replace_after": "PT15S", "max_replacements": 3, "bump_percent": 25, "max_in_flight": 100,
                         "gas_headroom_percent": 20, "rebroadcast_after": "PT5S", "lease_ttl": "PT3S"},
           "chains": [{"chain_id": 31337, "rpc_urls": ["%s"], "start_block": %d, "factory": "%s", "order_book": "%s",
                       "poll_interval": "PT0.1S",
                       "tokens": [{"symbol": "USDC", "address": "%s", "decimals": 6, "kind": "stablecoin"}]}]}
          """
            .formatted(
                url,
                Numeric.toHexStringWithPrefixZeroPadded(
                    DevAccounts.keeper().getEcKeyPair().getPrivateKey(), 64),
                DevAccounts.attesterKeyHex(),
                anvil.rpcUrl(),
                d.deployBlock(),
                d.factory(),
                d.orderBook(),
                d.usdc()));

    return config;
  }

  private static List<Long> createOrders(Web3j web3j, ChainDeployment d, int n) throws Exception {
    var gas = ContractDeployer.devnetGas(31337);
    Credentials owner = DevAccounts.wallet(0);
    BigInteger one = BigInteger.TEN.pow(6);
    // The keeper key mints: sent while no engine holds its nonces (before any order, or right
    // after the kill, within the dead holder's lease).
    String aapl =
        ContractDeployer.fundRedeemer(web3j, d, owner, "AAPL", one.multiply(BigInteger.valueOf(n)));
    OrderBook book =
        OrderBook.load(
            d.orderBook(), web3j, ContractDeployer.transactionManager(web3j, owner, 31337), gas);
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(book.nextOrderId().send().longValueExact());
      book.createRedeem(aapl, one, d.usdc(), BigInteger.valueOf(1_000_000), owner.getAddress())
          .send();
    }
    return ids;
  }

  private static long leaseHolderPid(Connection c) throws Exception {
    try (ResultSet rs =
        c.createStatement()
            .executeQuery("SELECT holder FROM keeper.nonce_leases WHERE chain_id = 31337")) {
      assertThat(rs.next()).as("a nonce lease exists").isTrue();
      Matcher m = HOLDER_PID.matcher(rs.getString(1));
      assertThat(m.find()).as("holder " + rs.getString(1)).isTrue();
      return Long.parseLong(m.group(1));
    }
  }

  private static void await(Connection c, String condition, Process... alive) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (true) {
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT to_regclass('keeper.tx_intents') IS NOT NULL AND to_regclass('keeper.nonce_leases') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (ResultSet r =
              c.createStatement()
                  .executeQuery("SELECT " + condition.replaceFirst("^SELECT ", ""))) {
            r.next();
            if (r.getBoolean(1)) {
              return;
            }
          }
        }
      }
      for (Process p : alive) {
        assertThat(p.isAlive())
            .as("daemon %d alive (see target/two-daemon-*.log)", p.pid())
            .isTrue();
      }
      assertThat(System.currentTimeMillis()).as(condition).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static Process daemon(Path config, String name) throws Exception {
    return LockstepProcess.start("run", config, Path.of("target", "two-daemon-" + name + ".log"));
  }
}
