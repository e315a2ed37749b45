package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * The daily reconciliation on the sandbox: a day of mints, redeems and fees, a broker mismatch
 * worth more than $100 injected on (AAPL, base), then the sandbox clock moved past 00:00 UTC: the
 * report shows the break (and NVDA matched, the checks passing), minting of AAPL on base is paused
 * on chain by the pauser's key, a new AAPL mint is refused {@code mint_paused_reconciliation} while
 * a redeem still settles, {@code reconciliation.break} is published; the operator's command clears
 * it (recorded) and minting resumes on chain and through the API.
 */
class ReconciliationIT {
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment base;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "reconciliation-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static JsonNode order(String path, String body, String key) throws Exception {
    HttpResponse<String> r = api.post(path, sandbox.apiKey(), body, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return api.awaitStatus(path + "/" + body(r).path("id").asString(), sandbox.apiKey(), "settled");
  }

  private static boolean mintPaused(String token) throws Exception {
    return AssetToken.load(
            token,
            web3j,
            new ReadonlyTransactionManager(web3j, token),
            ContractDeployer.devnetGas(base.chainId()))
        .mintPaused()
        .send();
  }

  private static OrderBook book() {
    return OrderBook.load(
        base.orderBook(),
        web3j,
        new ReadonlyTransactionManager(web3j, base.orderBook()),
        ContractDeployer.devnetGas(base.chainId()));
  }

  /** {@code buyer}, funded by the test stablecoin's admin, creates a mint of 1 AAPL on chain. */
  private static long createMintOnChain(Credentials buyer) throws Exception {
    var gas = ContractDeployer.devnetGas(base.chainId());
    TestStablecoin.load(
            base.usdc(),
            web3j,
            ContractDeployer.transactionManager(web3j, DevAccounts.admin(), base.chainId()),
            gas)
        .mint(buyer.getAddress(), BigInteger.valueOf(1_000_000_000))
        .send();
    TestStablecoin.load(
            base.usdc(),
            web3j,
            ContractDeployer.transactionManager(web3j, buyer, base.chainId()),
            gas)
        .approve(base.orderBook(), BigInteger.valueOf(1_000_000_000))
        .send();
    OrderBook mine =
        OrderBook.load(
            base.orderBook(),
            web3j,
            ContractDeployer.transactionManager(web3j, buyer, base.chainId()),
            gas);
    var receipt =
        mine.createMint(
                "AAPL",
                BigInteger.TEN.pow(6),
                base.usdc(),
                BigInteger.valueOf(250_000_000),
                buyer.getAddress(),
                new OrderBook.Terms(
                    mine.minPlatformFeeBps().send(),
                    BigInteger.ZERO,
                    "0x" + "0".repeat(40),
                    BigInteger.ZERO,
                    BigInteger.ZERO))
            .send();
    return OrderBook.getOrderCreatedEvents(receipt).getFirst().orderId.longValueExact();
  }

  /** {@code symbol}'s proof-of-reserve feed on base. */
  private static dev.lockstep.contracts.generated.ReserveFeed reserveFeed(String symbol)
      throws Exception {
    var gas = ContractDeployer.devnetGas(base.chainId());
    var ro = new ReadonlyTransactionManager(web3j, base.orderBook());
    String feed =
        dev.lockstep.contracts.generated.AssetTokenFactory.load(base.factory(), web3j, ro, gas)
            .reserveFeedOf(symbol)
            .send();
    return dev.lockstep.contracts.generated.ReserveFeed.load(feed, web3j, ro, gas);
  }

  /** Whether a settle of {@code orderId} by the keeper was confirmed. */
  private static boolean settleConfirmed(long orderId) throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM keeper.tx_intents WHERE action = 'settle' AND chain_id = 8453"
                        + " AND order_id = "
                        + orderId
                        + " AND status = 'confirmed'")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }

  @Test
  void aBreakPausesMintingOnChainUntilTheOperatorClearsIt() throws Exception {
    String key = sandbox.apiKey();
    String mint =
        """
        {"asset": "%s", "quantity": %d, "settlement": {"currency": "USDC", "chain": "base"},
         "developer_fee": {"amount_bps": 50, "destination": "0x00000000000000000000000000000000000de7de"}}""";
    JsonNode aapl = order("/v1/mints", mint.formatted("AAPL", 8), "recon-mint-aapl");
    order("/v1/mints", mint.formatted("NVDA", 3), "recon-mint-nvda");
    order(
        "/v1/redeems",
        """
        {"asset": "AAPL", "quantity": 2, "payout": {"currency": "USDC", "chain": "base"}}""",
        "recon-redeem-1");
    String aaplToken = aapl.at("/contract/address").asString();

    // The broker's books lose one AAPL share on base (worth 187.42 > 100): a mismatch.
    sandbox
        .daemon()
        .broker()
        .deposit(
            8453, "AAPL", BigInteger.TEN.pow(6).negate(), "test: a share missing at the broker");
    Instant now = Instant.parse(body(api.get("/v1/sandbox/clock", key)).path("now").asString());
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    HttpResponse<String> moved = api.post("/v1/sandbox/clock", key, "{\"advance\": \"P1D\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);

    JsonNode[] report = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              report[0] = body(api.get("/v1/reconciliation/daily?date=" + day, key));
              return !report[0].path("status").asString().equals("pending");
            });
    JsonNode r = report[0];
    assertThat(r.path("object").asString()).isEqualTo("reconciliation_report");
    assertThat(r.path("status").asString()).as(r.toString()).isEqualTo("break");
    assertThat(r.at("/summary/breaks").asInt()).isEqualTo(1);
    JsonNode aaplBase = null;
    JsonNode nvdaBase = null;
    for (JsonNode line : r.get("lines")) {
      if (line.path("chain").asString().equals("base")) {
        if (line.path("token").asString().equals("AAPL")) {
          aaplBase = line;
        } else if (line.path("token").asString().equals("NVDA")) {
          nvdaBase = line;
        }
      }
    }
    assertThat(aaplBase).as(r.toString()).isNotNull();
    assertThat(aaplBase.path("status").asString()).isEqualTo("break");
    assertThat(aaplBase.path("onchain_supply").asString()).isEqualTo("6.000000");
    assertThat(aaplBase.path("broker_position").asString()).isEqualTo("5.000000");
    assertThat(aaplBase.path("diff").asString()).isEqualTo("1.000000");
    assertThat(aaplBase.path("diff_usdc").asString()).isEqualTo("187.42");
    assertThat(nvdaBase.path("status").asString()).isEqualTo("matched");
    assertThat(nvdaBase.path("diff").asString()).isEqualTo("0.000000");
    for (JsonNode c : r.get("checks")) {
      if (c.path("chain").asString().equals("base")) {
        assertThat(c.path("passed").asBoolean()).as(c.toString()).isTrue();
      }
    }

    // Paused on chain by the pauser's key; the API refuses new AAPL mints, not redeems.
    await().atMost(Duration.ofSeconds(30)).until(() -> mintPaused(aaplToken));
    HttpResponse<String> refused =
        api.post("/v1/mints", key, mint.formatted("AAPL", 1), "recon-mint-refused");
    assertProblem(refused, 409, "mint_paused_reconciliation");
    assertThat(body(refused).path("token").asString()).isEqualTo("AAPL");
    order(
        "/v1/redeems",
        """
        {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"}}""",
        "recon-redeem-2");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                body(api.get("/v1/events?type=reconciliation.break", key))
                    .toString()
                    .contains("\"token\":\"AAPL\""));
    assertThat(api.get("/metrics", null).body())
        .contains("reconciliation_breaks_total{chain_id=\"8453\"} 1.0")
        .contains("reconciliation_open_breaks{chain_id=\"8453\"} 1.0");

    // A mint a wallet creates on chain meanwhile fills at the broker but cannot settle: the token
    // is paused, and the reserve is short (the keeper holds the settle, which the feed refuses; a
    // settle sent anyway reverts AssetTokenMintPaused). It settles once the break is cleared.
    long directMint = createMintOnChain(DevAccounts.wallet(5));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sandbox
                    .daemon()
                    .broker()
                    .leg(8453, directMint)
                    .filter(l -> l.status() == dev.lockstep.keeper.broker.LegStatus.FILLED)
                    .isPresent());
    Thread.sleep(2_000); // several keeper rounds
    assertThat(settleConfirmed(directMint)).as("not settled while paused").isFalse();
    assertThat(book().statusOf(BigInteger.valueOf(directMint)).send().intValue())
        .as("still active")
        .isEqualTo(2);

    // The reserve published after the run (the broker's custody at the cut-off) is short by the
    // missing share.
    // (Later rounds follow it: the waiting mint's settle has the keeper relay the custody again.)
    var feed = reserveFeed("AAPL");
    long cutoff = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    BigInteger atCutoff = null;
    for (long round = feed.latestRoundData().send().component1().longValueExact();
        round > 0 && atCutoff == null;
        round--) {
      var data = feed.getRoundData(BigInteger.valueOf(round)).send();
      if (data.component4().longValueExact() == cutoff) {
        atCutoff = data.component2();
      }
    }
    assertThat(atCutoff)
        .as("AAPL reserve on base dated at the cut-off")
        .isEqualTo(BigInteger.valueOf(5_000_000));

    // The broker finds the share, and the operator clears the break: recorded, and minting resumes
    // on chain (the keeper relays the corrected custody first) and through the API.
    sandbox
        .daemon()
        .broker()
        .deposit(8453, "AAPL", BigInteger.TEN.pow(6), "test: the statement corrected");
    String out =
        Cli.run(
            "reconciliation",
            "clear",
            "--chain-id",
            "8453",
            "--token",
            "AAPL",
            "--operator",
            "ops-alice",
            "--reason",
            "broker statement corrected",
            "--database-url",
            sandbox.databaseUrl());
    assertThat(out).contains("cleared the break of AAPL on chain 8453");
    await().atMost(Duration.ofSeconds(30)).until(() -> !mintPaused(aaplToken));
    order("/v1/mints", mint.formatted("AAPL", 1), "recon-mint-after-clear");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> book().statusOf(BigInteger.valueOf(directMint)).send().intValue() == 3);
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet audit =
            c.createStatement()
                .executeQuery(
                    "SELECT cleared_by, clear_reason, pause_intent, clear_intent FROM keeper.recon_breaks WHERE token = 'AAPL'")) {
      assertThat(audit.next()).isTrue();
      assertThat(audit.getString(1)).isEqualTo("ops-alice");
      assertThat(audit.getString(2)).isEqualTo("broker statement corrected");
      assertThat(audit.getString(3)).startsWith("recon-pause:8453:AAPL:");
      assertThat(audit.getString(4)).startsWith("recon-resume:8453:AAPL:");
    }
  }
}
