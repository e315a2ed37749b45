package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * Limit orders through the API on the sandbox (real anvil and PostgreSQL): a limit redeem waits
 * while the scripted mark is below its limit and fills once the mark crosses it, at a gross that
 * meets the limit on chain; a limit mint whose {@code good_till} passes (the sandbox clock moved,
 * so the chain's time too) is cancelled by the keeper and refunded to the base unit, {@code failed}
 * with {@code limit_expired}; malformed limits are refused before anything is sent.
 */
class LimitOrdersIT {
  private static final BigDecimal AAPL = new BigDecimal("187.42");
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment base;
  private static String wallet;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(0, Path.of("target", "limit-orders-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
    wallet =
        body(api.get("/v1/settlement_wallets", sandbox.apiKey())).at("/data/0/address").asString();
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static JsonNode awaitStatus(String path, String status) {
    return api.awaitStatus(path, sandbox.apiKey(), status);
  }

  private static BigInteger usdc() throws Exception {
    return TestStablecoin.load(
            base.usdc(),
            web3j,
            new ReadonlyTransactionManager(web3j, wallet),
            ContractDeployer.devnetGas(base.chainId()))
        .balanceOf(wallet)
        .send();
  }

  private static Instant sandboxNow() throws Exception {
    return Instant.parse(
        body(api.get("/v1/sandbox/clock", sandbox.apiKey())).path("now").asString());
  }

  @Test
  void aLimitRedeemWaitsForTheMarkToCrossThenSettlesAtOrAboveIt() throws Exception {
    String key = sandbox.apiKey();
    HttpResponse<String> mint =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 2, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "limit-setup-mint");
    assertThat(mint.statusCode()).as(mint.body()).isEqualTo(201);
    awaitStatus("/v1/mints/" + body(mint).path("id").asString(), "settled");

    String goodTill = sandboxNow().plus(Duration.ofHours(1)).toString();
    HttpResponse<String> r =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"},
             "limit_price": 200, "good_till": "%s"}"""
                .formatted(goodTill),
            "limit-redeem-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode created = body(r);
    assertThat(created.path("order_type").asString()).isEqualTo("limit");
    assertThat(created.at("/limit/price_usdc").asString()).isEqualTo("200.000000");
    String id = created.path("id").asString();
    long orderId = Long.parseLong(id.substring(id.lastIndexOf('_') + 1));
    OrderBook book =
        OrderBook.load(
            base.orderBook(),
            web3j,
            new ReadonlyTransactionManager(web3j, wallet),
            ContractDeployer.devnetGas(base.chainId()));
    assertThat(book.limitOf(BigInteger.valueOf(orderId)).send().price)
        .isEqualTo(BigInteger.valueOf(200_000_000));

    // The mark (187.42) is below the limit: several keeper rounds route nothing.
    Thread.sleep(3_000);
    assertThat(body(api.get("/v1/redeems/" + id, key)).path("status").asString())
        .isEqualTo("queued");

    // The scripted mark crosses; the broker fills at it and the settle meets the limit on chain.
    sandbox.daemon().prices().publish("AAPL", new BigDecimal("201.50"));
    try {
      JsonNode settled = awaitStatus("/v1/redeems/" + id, "settled");
      assertThat(new BigDecimal(settled.at("/payout/gross_notional").asString()))
          .isEqualByComparingTo("201.50");
    } finally {
      sandbox.daemon().prices().publish("AAPL", AAPL);
    }
  }

  @Test
  void anExpiredLimitMintIsCancelledAndRefundedWhole() throws Exception {
    String key = sandbox.apiKey();
    BigInteger before = usdc();
    String goodTill = sandboxNow().plus(Duration.ofMinutes(2)).toString();
    HttpResponse<String> r =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"},
             "limit_price": 150, "good_till": "%s"}"""
                .formatted(goodTill),
            "limit-mint-expiring");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = body(r).path("id").asString();
    assertThat(usdc()).isLessThan(before);
    Thread.sleep(2_000);
    assertThat(body(api.get("/v1/mints/" + id, key)).path("status").asString()).isEqualTo("queued");

    // Three minutes on (the daemon and the chains), the keeper cancels it: the lock comes back.
    HttpResponse<String> moved = api.post("/v1/sandbox/clock", key, "{\"advance\": \"PT3M\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    JsonNode failed = awaitStatus("/v1/mints/" + id, "failed");
    assertThat(failed.path("failure_reason").asString()).isEqualTo("limit_expired");
    assertThat(usdc()).isEqualTo(before);
  }

  @Test
  void malformedLimitsAreRefusedBeforeAnythingIsSent() throws Exception {
    String key = sandbox.apiKey();
    String later = sandboxNow().plus(Duration.ofHours(1)).toString();
    String order =
        """
        {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"}%s}""";
    String[][] cases = {
      {", \"limit_price\": 190", "good_till"},
      {", \"good_till\": \"" + later + "\"", "limit_price"},
      {", \"limit_price\": 0, \"good_till\": \"" + later + "\"", "limit_price"},
      {", \"limit_price\": 190.0000001, \"good_till\": \"" + later + "\"", "limit_price"},
      {", \"limit_price\": 190, \"good_till\": \"2020-01-01T00:00:00Z\"", "good_till"},
      {", \"limit_price\": 190, \"good_till\": \"tomorrow\"", "good_till"},
    };
    BigInteger before = usdc();
    for (String[] c : cases) {
      HttpResponse<String> r = api.post("/v1/mints", key, order.formatted(c[0]));
      assertProblem(r, 400, "invalid_request");
      assertThat(body(r).path("param").asString()).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(usdc()).isEqualTo(before);
  }

  /**
   * {@code POST /v1/orders/{id}/cancel} cancels any open order: a resting limit mint comes back
   * whole ({@code cancelled}); a settled order is {@code order_not_cancellable}; an id of neither
   * side is {@code order_not_found}.
   */
  @Test
  void theOneCancelEndpointCancelsARestingLimitMint() throws Exception {
    String key = sandbox.apiKey();
    BigInteger before = usdc();
    String goodTill = sandboxNow().plus(Duration.ofHours(2)).toString();
    HttpResponse<String> r =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"},
             "limit_price": 120, "good_till": "%s"}"""
                .formatted(goodTill),
            "limit-mint-cancelled");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = body(r).path("id").asString();
    HttpResponse<String> cancel = api.post("/v1/orders/" + id + "/cancel", key, null);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(body(cancel).path("object").asString()).isEqualTo("mint");
    awaitStatus("/v1/mints/" + id, "cancelled");
    assertThat(usdc()).isEqualTo(before);
    assertThat(api.post("/v1/orders/" + id + "/cancel", key, null).statusCode()).isEqualTo(200);

    HttpResponse<String> market =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "market-mint-settles");
    String settled = body(market).path("id").asString();
    awaitStatus("/v1/mints/" + settled, "settled");
    assertProblem(
        api.post("/v1/orders/" + settled + "/cancel", key, null), 409, "order_not_cancellable");
    assertProblem(api.post("/v1/orders/qte_123/cancel", key, null), 404, "order_not_found");
  }
}
