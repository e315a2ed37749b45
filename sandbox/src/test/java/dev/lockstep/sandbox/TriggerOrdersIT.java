package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * Trigger sells through the API on the sandbox (real anvil and PostgreSQL, scripted marks and a
 * moved sandbox clock so the 30 s TWAP sees them): a stop-loss stays {@code armed} above its stop
 * and sells once the TWAP falls to it; an OCO pair locks once, fills its take-profit leg and
 * cancels its stop leg on chain; cancelling an armed pair cancels both legs and returns the lock
 * and the gas deposit once ({@code fee.refunded}); an expired trigger is cancelled; malformed
 * triggers are refused before anything is sent.
 */
class TriggerOrdersIT {
  private static final BigDecimal AAPL = new BigDecimal("187.42");
  private static final int ARMED = 5; // OrderBook.Status.ARMED
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment base;
  private static String wallet;
  private static String aapl;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(0, Path.of("target", "trigger-orders-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
    wallet =
        body(api.get("/v1/settlement_wallets", sandbox.apiKey())).at("/data/0/address").asString();
    HttpResponse<String> mint =
        api.post(
            "/v1/mints",
            sandbox.apiKey(),
            """
            {"asset": "AAPL", "quantity": 6, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "trigger-setup-mint");
    assertThat(mint.statusCode()).as(mint.body()).isEqualTo(201);
    JsonNode settled =
        api.awaitStatus(
            "/v1/mints/" + body(mint).path("id").asString(), sandbox.apiKey(), "settled");
    aapl = settled.at("/contract/address").asString();
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  @AfterEach
  void resetMark() {
    sandbox.daemon().prices().publish("AAPL", AAPL);
  }

  private static OrderBook book() {
    return OrderBook.load(
        base.orderBook(),
        web3j,
        new ReadonlyTransactionManager(web3j, wallet),
        ContractDeployer.devnetGas(base.chainId()));
  }

  private static BigInteger shares() throws Exception {
    return AssetToken.load(
            aapl,
            web3j,
            new ReadonlyTransactionManager(web3j, wallet),
            ContractDeployer.devnetGas(base.chainId()))
        .balanceOf(wallet)
        .send();
  }

  private static long orderId(String id) {
    return Long.parseLong(id.substring(id.lastIndexOf('_') + 1));
  }

  /** Publishes {@code price} and moves the sandbox a minute on, so the 30 s TWAP is that price. */
  private static void markMovesTo(String price) throws Exception {
    sandbox.daemon().prices().publish("AAPL", new BigDecimal(price));
    HttpResponse<String> moved =
        api.post("/v1/sandbox/clock", sandbox.apiKey(), "{\"advance\": \"PT1M\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
  }

  private static boolean hasEvent(String type, long orderId) throws Exception {
    for (JsonNode e : body(api.get("/v1/events?type=" + type, sandbox.apiKey())).get("data")) {
      if (e.path("type").asString().equals(type) && e.at("/data/order_id").asLong() == orderId) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aStopLossIsArmedAboveItsStopAndSellsOnceTheTwapFallsToIt() throws Exception {
    String key = sandbox.apiKey();
    HttpResponse<String> r =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"},
             "order_type": "stop_loss", "stop_price": 180, "slippage_bps": 300}""",
            "stop-loss-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode created = body(r);
    assertThat(created.path("status").asString()).isEqualTo("armed");
    assertThat(created.path("order_type").asString()).isEqualTo("stop_loss");
    assertThat(created.at("/trigger/kind").asString()).isEqualTo("stop_loss");
    assertThat(created.at("/trigger/price_usdc").asString()).isEqualTo("180.000000");
    // Priced where it sells: the bound is 3% under the stop less fees and the gas cap (at most
    // 174.60), not 3% under today's mark (181.80).
    assertThat(new BigDecimal(created.at("/payout/min_notional").asString()))
        .isLessThan(new BigDecimal("174.60"))
        .isGreaterThan(new BigDecimal("170"));
    String id = created.path("id").asString();
    long orderId = orderId(id);
    assertThat(book().statusOf(BigInteger.valueOf(orderId)).send().intValue()).isEqualTo(ARMED);
    await().atMost(Duration.ofSeconds(30)).until(() -> hasEvent("order.armed", orderId));

    // Above the stop, several keeper rounds trigger nothing.
    Thread.sleep(3_000);
    assertThat(body(api.get("/v1/redeems/" + id, key)).path("status").asString())
        .isEqualTo("armed");

    markMovesTo("178");
    JsonNode settled = api.awaitStatus("/v1/redeems/" + id, key, "settled");
    assertThat(new BigDecimal(settled.at("/payout/gross_notional").asString()))
        .isEqualByComparingTo("178");
    assertThat(settled.at("/trigger/triggered_mark_usdc").asString()).isEqualTo("178.000000");
    assertThat(settled.at("/trigger/triggered_at").isMissingNode()).isFalse();
    assertThat(settled.path("history").findValuesAsString("event"))
        .containsSubsequence("created", "triggered", "settled");
    await().atMost(Duration.ofSeconds(30)).until(() -> hasEvent("order.triggered", orderId));
  }

  @Test
  void anOcoPairLocksOnceFillsItsTakeProfitAndCancelsItsStop() throws Exception {
    String key = sandbox.apiKey();
    BigInteger before = shares();
    HttpResponse<String> r =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"},
             "order_type": "oco", "stop_price": 150, "take_profit_price": 200}""",
            "oco-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode stop = body(r);
    assertThat(stop.path("order_type").asString()).isEqualTo("oco");
    assertThat(stop.at("/trigger/kind").asString()).isEqualTo("stop_loss");
    String stopId = stop.path("id").asString();
    String takeId = stop.at("/trigger/oco_peer_id").asString();
    assertThat(orderId(takeId)).isEqualTo(orderId(stopId) + 1);
    JsonNode take = body(api.get("/v1/redeems/" + takeId, key));
    assertThat(take.path("status").asString()).isEqualTo("armed");
    assertThat(take.at("/trigger/kind").asString()).isEqualTo("take_profit");
    assertThat(take.at("/trigger/oco_peer_id").asString()).isEqualTo(stopId);
    assertThat(shares())
        .as("one lock for both legs")
        .isEqualTo(before.subtract(BigInteger.TEN.pow(6)));

    markMovesTo("201.50");
    JsonNode settled = api.awaitStatus("/v1/redeems/" + takeId, key, "settled");
    assertThat(new BigDecimal(settled.at("/payout/gross_notional").asString()))
        .isEqualByComparingTo("201.50");
    JsonNode cancelled = api.awaitStatus("/v1/redeems/" + stopId, key, "cancelled");
    assertThat(cancelled.path("failure_reason").isMissingNode()).isTrue();
    assertThat(book().statusOf(BigInteger.valueOf(orderId(stopId))).send().intValue())
        .as("the stop leg is cancelled on chain")
        .isEqualTo(4);
    assertThat(shares())
        .as("one share sold, not two")
        .isEqualTo(before.subtract(BigInteger.TEN.pow(6)));
  }

  @Test
  void cancellingAnArmedPairCancelsBothLegsAndRefundsTheLockAndDepositOnce() throws Exception {
    String key = sandbox.apiKey();
    BigInteger before = shares();
    HttpResponse<String> r =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 2, "payout": {"currency": "USDC", "chain": "base"},
             "order_type": "oco", "stop_price": 120, "take_profit_price": 260,
             "gas": {"sponsor": "developer", "max_gas_usdc": 0.5}}""",
            "oco-cancelled");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String stopId = body(r).path("id").asString();
    String takeId = body(r).at("/trigger/oco_peer_id").asString();
    HttpResponse<String> c = api.post("/v1/orders/" + takeId + "/cancel", key, "{}");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(202);
    api.awaitStatus("/v1/redeems/" + takeId, key, "cancelled");
    api.awaitStatus("/v1/redeems/" + stopId, key, "cancelled");
    assertThat(shares()).isEqualTo(before);
    long takeOrder = orderId(takeId);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (JsonNode e : body(api.get("/v1/events?type=fee.refunded", key)).get("data")) {
                if (e.at("/data/order_id").asLong() == takeOrder) {
                  assertThat(e.at("/data/gas").asString()).isEqualTo("0.500000");
                  assertThat(e.at("/data/amount").asString()).isEqualTo("0.500000");
                  return true;
                }
              }
              return false;
            });
    assertThat(hasEvent("fee.refunded", orderId(stopId)))
        .as("the leg cancelled with its peer refunded nothing")
        .isFalse();
  }

  @Test
  void anExpiredTriggerIsCancelledAndReturned() throws Exception {
    String key = sandbox.apiKey();
    BigInteger before = shares();
    Instant now = Instant.parse(body(api.get("/v1/sandbox/clock", key)).path("now").asString());
    HttpResponse<String> r =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"},
             "order_type": "take_profit", "take_profit_price": 400, "good_till": "%s"}"""
                .formatted(now.plus(Duration.ofMinutes(2))),
            "take-profit-expiring");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = body(r).path("id").asString();
    assertThat(body(r).path("order_type").asString()).isEqualTo("take_profit");
    assertThat(body(r).at("/limit/price_usdc").asString())
        .as("a take-profit sells at its price or better, as a limit")
        .isEqualTo("400.000000");
    HttpResponse<String> moved = api.post("/v1/sandbox/clock", key, "{\"advance\": \"PT3M\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    JsonNode failed = api.awaitStatus("/v1/redeems/" + id, key, "failed");
    assertThat(failed.path("failure_reason").asString()).isEqualTo("trigger_expired");
    assertThat(shares()).isEqualTo(before);
  }

  @Test
  void malformedTriggersAreRefusedBeforeAnythingIsSent() throws Exception {
    String key = sandbox.apiKey();
    String redeem =
        """
        {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"}%s}""";
    String[][] cases = {
      {", \"order_type\": \"stop_loss\"", "stop_price"},
      {", \"order_type\": \"stop_loss\", \"stop_price\": 0", "stop_price"},
      {", \"order_type\": \"oco\", \"stop_price\": 200, \"take_profit_price\": 190", "stop_price"},
      {", \"order_type\": \"take_profit\", \"stop_price\": 150", "stop_price"},
      {", \"order_type\": \"trailing\"", "order_type"},
      {", \"stop_price\": 150, \"limit_price\": 190", "limit_price"},
      {", \"stop_price\": 150, \"quote_id\": \"qte_x\"", "quote_id"},
    };
    BigInteger before = shares();
    for (String[] c : cases) {
      HttpResponse<String> r = api.post("/v1/redeems", key, redeem.formatted(c[0]));
      assertProblem(r, 400, "invalid_request");
      assertThat(body(r).path("param").asString()).as(c[0]).isEqualTo(c[1]);
    }
    HttpResponse<String> mint =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"},
             "order_type": "stop_loss"}""");
    assertProblem(mint, 400, "invalid_request");
    assertThat(body(mint).path("param").asString()).isEqualTo("order_type");
    assertThat(shares()).isEqualTo(before);
  }
}
