package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.auth.Scope;
import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.sync.SyncStatus;
import dev.lockstep.indexer.sync.WebsocketState;
import dev.lockstep.ports.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;

/**
 * The whole sandbox on real anvil and real PostgreSQL: the redeem scenario, cancel, auth and error
 * paths.
 */
class SandboxIT {
  private static final BigInteger SHARE = BigInteger.TEN.pow(6);
  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "sandbox-it"));
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void demoMintsAndRedeemsThroughTheApiWithEachActionSentOnce() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    boolean passed =
        new OrderDemo(sandbox, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    assertThat(passed).as(log.toString(StandardCharsets.UTF_8)).isTrue();
    String holder = sandbox.daemon().settlementWallets().walletOf(Sandbox.TENANT);
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl())) {
      ResultSet closings =
          c.createStatement()
              .executeQuery(
                  """
          SELECT o.order_id, o.status, count(e.*) FROM indexer.orders o
          JOIN indexer.order_events e ON e.chain_id = o.chain_id AND e.order_id = o.order_id
            AND e.event IN ('settled', 'cancelled')
          WHERE o.owner = '%s' GROUP BY 1, 2 ORDER BY 1"""
                      .formatted(holder));
      // The mint and the redeem settled, the rejected redeem cancelled, the limit sell settled,
      // the OCO pair's stop leg cancelled and its take-profit leg settled: each closed once.
      for (String status :
          new String[] {"settled", "settled", "cancelled", "settled", "cancelled", "settled"}) {
        assertThat(closings.next()).isTrue();
        assertThat(closings.getString(2)).isEqualTo(status);
        assertThat(closings.getInt(3)).isEqualTo(1);
      }
      assertThat(closings.next()).isFalse();
      // The demo ends when the index shows both orders closed; the keeper confirms its intents on
      // its next round.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                ResultSet open =
                    c.createStatement()
                        .executeQuery(
                            "SELECT count(*) FROM keeper.tx_intents WHERE status IN ('queued', 'submitted', 'mined')");
                open.next();
                return open.getInt(1) == 0;
              });
      ResultSet actions =
          c.createStatement()
              .executeQuery(
                  """
          SELECT a.action, a.status FROM keeper.tx_intents a JOIN indexer.orders o
            ON o.chain_id = a.chain_id AND o.order_id = a.order_id
          WHERE o.owner = '%s' AND a.action IN ('settle', 'cancel') ORDER BY a.order_id"""
                      .formatted(holder));
      for (int i = 0; i < 2; i++) {
        assertThat(actions.next()).isTrue();
        assertThat(actions.getString(1) + "/" + actions.getString(2)).isEqualTo("settle/confirmed");
      }
      assertThat(actions.next()).isTrue();
      assertThat(actions.getString(1) + "/" + actions.getString(2)).isEqualTo("cancel/confirmed");
      // The limit sell, then the OCO's take-profit leg (its stop leg was cancelled by the book in
      // the trigger's transaction: no keeper action of its own).
      for (int i = 0; i < 2; i++) {
        assertThat(actions.next()).isTrue();
        assertThat(actions.getString(1) + "/" + actions.getString(2)).isEqualTo("settle/confirmed");
      }
      assertThat(actions.next()).isFalse();
    }
  }

  @Test
  void cancelBeforeTheBrokerFillsReturnsTheTokensAndCancellingAgainIsIdempotent() throws Exception {
    Credentials holder = DevAccounts.wallet(2);
    ChainDeployment d = sandbox.deployment();
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      var gas = ContractDeployer.devnetGas(d.chainId());
      AssetTokenFactory.load(
              d.factory(),
              web3j,
              ContractDeployer.transactionManager(web3j, DevAccounts.minter(), d.chainId()),
              gas)
          .mint("NVDA", holder.getAddress(), BigInteger.valueOf(5).multiply(SHARE))
          .send();
      var tm = ContractDeployer.transactionManager(web3j, holder, d.chainId());
      String nvdaAddress =
          AssetTokenFactory.load(d.factory(), web3j, tm, gas).tokenOf("NVDA").send();
      AssetToken nvda = AssetToken.load(nvdaAddress, web3j, tm, gas);
      nvda.approve(d.orderBook(), BigInteger.TWO.multiply(SHARE)).send();
      var receipt =
          OrderBook.load(d.orderBook(), web3j, tm, gas)
              .createRedeem(
                  nvdaAddress,
                  BigInteger.TWO.multiply(SHARE),
                  d.usdc(),
                  BigInteger.ONE,
                  holder.getAddress())
              .send();
      String id =
          "rdm_" + d.chainId() + "_" + OrderBook.getOrderCreatedEvents(receipt).getFirst().orderId;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> call("GET", "/v1/redeems/" + id, sandbox.apiKey()).statusCode() == 200);

      // Tenant-wide (no ?wallet=): every redeem of the tenant's customers, the last page's
      // next_cursor written as null; another tenant sees none of them.
      java.util.List<String> tenantWide = new java.util.ArrayList<>();
      JsonNode page = body(call("GET", "/v1/redeems?limit=100", sandbox.apiKey()));
      page.get("data").forEach(r -> tenantWide.add(r.get("id").asString()));
      assertThat(tenantWide).contains(id);
      assertThat(page.get("has_more").asBoolean()).isFalse();
      assertThat(page.get("next_cursor").isNull()).isTrue();
      String other = sandbox.daemon().apiKeys().create("ten_sbx_other", Mode.TEST, Scope.READ);
      assertThat(body(call("GET", "/v1/redeems", other)).get("data").size()).isZero();

      HttpResponse<String> cancel = call("POST", "/v1/redeems/" + id + "/cancel", sandbox.apiKey());
      assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "cancelled"
                      .equals(
                          body(call("GET", "/v1/redeems/" + id, sandbox.apiKey()))
                              .path("status")
                              .asString()));
      assertThat(nvda.balanceOf(holder.getAddress()).send())
          .isEqualTo(BigInteger.valueOf(5).multiply(SHARE));
      assertThat(call("POST", "/v1/redeems/" + id + "/cancel", sandbox.apiKey()).statusCode())
          .isEqualTo(200);
    } finally {
      web3j.shutdown();
    }
  }

  @Test
  void theCatalogListsTheAssetUniverseBeforeAnyoneMintsAndRetrievesOneByTicker() throws Exception {
    JsonNode tokens = body(call("GET", "/v1/tokens?limit=100", sandbox.apiKey()));
    java.util.Map<String, JsonNode> byTicker = new java.util.HashMap<>();
    tokens.get("data").forEach(t -> byTicker.put(t.get("ticker").asString(), t));
    assertThat(byTicker.keySet()).containsAll(Sandbox.MARKS.keySet());
    for (var mark : Sandbox.MARKS.entrySet()) {
      JsonNode t = byTicker.get(mark.getKey());
      assertThat(new BigDecimal(t.get("nav_usdc").asString()))
          .as(mark.getKey())
          .isEqualByComparingTo(mark.getValue());
      assertThat(t.get("decimals").asInt()).isEqualTo(6);
    }
    JsonNode spy = body(call("GET", "/v1/tokens/SPY", sandbox.apiKey()));
    assertThat(spy.get("id").asString()).isEqualTo("SPY");
    assertThat(spy.get("object").asString()).isEqualTo("token");
    assertThat(new BigDecimal(spy.get("supply").asString()))
        .isEqualByComparingTo(new BigDecimal(byTicker.get("SPY").get("supply").asString()));
    HttpResponse<String> unknown = call("GET", "/v1/tokens/ZZZZ", sandbox.apiKey());
    assertProblem(unknown, 404, "asset_not_found");
    assertThat(body(unknown).get("ticker").asString()).isEqualTo("ZZZZ");
  }

  @Test
  void missingOrUnknownKeyIsUnauthorizedProblem() throws Exception {
    HttpResponse<String> none = call("GET", "/v1/tokens", null);
    assertProblem(none, 401, "unauthorized");
    assertProblem(call("GET", "/v1/tokens", "sk_test_doesnotexist"), 401, "unauthorized");
  }

  @Test
  void liveKeyAgainstSandboxIsKeyLacksLiveScope() throws Exception {
    String live = sandbox.daemon().apiKeys().create("ten_sandbox", Mode.LIVE, Scope.FULL);
    assertProblem(call("GET", "/v1/tokens", live), 403, "key_lacks_live_scope");
  }

  @Test
  void readKeyCanReadButNotPost() throws Exception {
    String read = sandbox.daemon().apiKeys().create("ten_sandbox", Mode.TEST, Scope.READ);
    assertThat(call("GET", "/v1/tokens", read).statusCode()).isEqualTo(200);
    assertProblem(call("POST", "/v1/redeems/rdm_8453_1/cancel", read), 403, "forbidden");
  }

  @Test
  void unknownRedeemIsNotFoundProblem() throws Exception {
    assertProblem(
        call("GET", "/v1/redeems/rdm_8453_999999", sandbox.apiKey()), 404, "redeem_not_found");
    assertProblem(call("GET", "/v1/redeems/not-an-id", sandbox.apiKey()), 404, "redeem_not_found");
    assertProblem(
        call("POST", "/v1/redeems/rdm_1_1/cancel", sandbox.apiKey()), 404, "redeem_not_found");
  }

  @Test
  void badParametersAreInvalidRequestNamingTheParameter() throws Exception {
    HttpResponse<String> wallet = call("GET", "/v1/positions?wallet=0x123", sandbox.apiKey());
    assertProblem(wallet, 400, "invalid_request");
    assertThat(body(wallet).path("param").asString()).isEqualTo("wallet");
    HttpResponse<String> limit =
        call(
            "GET",
            "/v1/redeems?wallet=" + DevAccounts.wallet(0).getAddress() + "&limit=500",
            sandbox.apiKey());
    assertProblem(limit, 400, "invalid_request");
    assertThat(body(limit).path("param").asString()).isEqualTo("limit");
  }

  @Test
  void unknownRouteIsNotFoundProblem() throws Exception {
    assertProblem(call("GET", "/v1/nope", sandbox.apiKey()), 404, "not_found");
  }

  @Test
  void metricsAreServedInPrometheusFormat() throws Exception {
    HttpResponse<String> m = call("GET", "/metrics", null);
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.body()).contains("indexer_indexed_block{chain_id=\"8453\"}");
  }

  @Test
  void aManagementPortServesMetricsAndHealthAndTakesMetricsOffTheApiPort() throws Exception {
    DaemonConfig base = sandbox.daemon().config();
    DaemonConfig withManagement =
        base.withApiPort(0).withManagement(new DaemonConfig.Endpoint("127.0.0.1", 0));
    try (Daemon second = Daemon.start(withManagement, java.time.Clock.systemUTC())) {
      int port = second.managementPort().orElseThrow();
      assertThat(port).isNotEqualTo(second.apiPort());
      ApiClient operator = new ApiClient("http://127.0.0.1:" + port);
      ApiClient integrator = new ApiClient("http://127.0.0.1:" + second.apiPort());
      HttpResponse<String> metrics = operator.get("/metrics", null);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("indexer_indexed_block{chain_id=\"8453\"}");
      assertThat(operator.get("/health", null).statusCode()).isEqualTo(200);
      assertProblem(integrator.get("/metrics", null), 404, "not_found");
      assertThat(integrator.get("/health", null).statusCode())
          .as("health stays on the API port for load balancers")
          .isEqualTo(200);
    }
  }

  @Test
  void chainsCatalogListsTheThreeSandboxChainsWithTheirPayoutCurrenciesAndSyncState()
      throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                sandbox.daemon().chainHealth().stream()
                    .allMatch(
                        h ->
                            h.status() == SyncStatus.OK
                                && h.websocket() == WebsocketState.CONNECTED));
    HttpResponse<String> r = call("GET", "/v1/chains", sandbox.apiKey());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode data = body(r).get("data");
    assertThat(data.size()).isEqualTo(3);
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (JsonNode chain : data) {
      ids.add(chain.get("id").asString() + ":" + chain.get("chain_id").asLong());
      assertThat(chain.get("pay_out_currencies").toString()).isEqualTo("[\"USDC\",\"USDT\"]");
      assertThat(chain.get("status").asString()).isEqualTo("ok");
      assertThat(chain.get("indexed_block").asLong()).isPositive();
      ChainDeployment d = sandbox.deployments().get(chain.get("chain_id").asLong());
      assertThat(chain.get("stablecoins").get(0).get("token_address").asString())
          .isEqualTo(d.usdc().toLowerCase());
    }
    assertThat(ids).containsExactly("ethereum:1", "base:8453", "arbitrum:42161");

    HttpResponse<String> health = api.get("/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(body(health).get("status").asString()).isEqualTo("ok");
    assertThat(body(health).get("chains").size()).isEqualTo(3);
    HttpResponse<String> metrics = api.get("/metrics", null);
    for (String meter :
        java.util.List.of(
            "indexer_lag_seconds",
            "indexer_reorgs_total",
            "indexer_rpc_errors_total",
            "indexer_events_rate",
            "indexer_stalled",
            "indexer_finalized_block")) {
      assertThat(metrics.body()).contains(meter + "{chain_id=\"42161\"");
    }
  }

  private static HttpResponse<String> call(String method, String path, String key)
      throws Exception {
    return api.send(method, path, key, null, java.util.Map.of());
  }
}
