package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * Developer-fee sweeps on the sandbox: fees a mint charged accrue in the book's escrow ({@code GET
 * /v1/fees} accrued); {@code POST /v1/fees/settle} pays the destination once (the same
 * Idempotency-Key, or asking again, pays nothing more: one keeper transaction per sweep id), with
 * {@code fee.settled}, the ledger's {@code fee_sweep} entry and {@code settled_usdc}; the daily
 * sweep pays the next day's fees after 00:00 UTC on a moved clock; a malformed minimum is refused.
 */
class FeeSweepIT {
  private static final String DEV = "0x00000000000000000000000000000000000fee01";
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment base;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "fee-sweep-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static BigInteger devUsdc() throws Exception {
    return TestStablecoin.load(
            base.usdc(),
            web3j,
            new ReadonlyTransactionManager(web3j, DEV),
            ContractDeployer.devnetGas(base.chainId()))
        .balanceOf(DEV)
        .send();
  }

  /** Mints 6 AAPL with a 1% developer fee to DEV (about 11.25 USDC) and waits for the settle. */
  private static BigDecimal mintWithFee(String idempotencyKey) throws Exception {
    HttpResponse<String> mint =
        api.post(
            "/v1/mints",
            sandbox.apiKey(),
            """
            {"asset": "AAPL", "quantity": 6, "settlement": {"currency": "USDC", "chain": "base"},
             "developer_fee": {"amount_bps": 100, "destination": "%s"}}"""
                .formatted(DEV),
            idempotencyKey);
    assertThat(mint.statusCode()).as(mint.body()).isEqualTo(201);
    JsonNode settled =
        api.awaitStatus(
            "/v1/mints/" + body(mint).path("id").asString(), sandbox.apiKey(), "settled");
    return new BigDecimal(settled.at("/developer_fee/amount_usdc").asString());
  }

  private static JsonNode feeLine() throws Exception {
    for (JsonNode f : body(api.get("/v1/fees", sandbox.apiKey())).get("data")) {
      if (f.path("destination").asString().equalsIgnoreCase(DEV)) {
        return f;
      }
    }
    throw new AssertionError("no fee line for " + DEV);
  }

  private static int sweepIntents(String like) throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM keeper.tx_intents WHERE action = 'sweep_fees' AND idempotency_key LIKE '"
                        + like
                        + "'")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void aRequestedSweepPaysOnceAndTheDailySweepPaysAfterMidnight() throws Exception {
    String key = sandbox.apiKey();
    BigDecimal fee = mintWithFee("fee-sweep-mint-1");
    assertThat(fee).isGreaterThan(BigDecimal.TEN);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> new BigDecimal(feeLine().path("accrued_usdc").asString()).compareTo(fee) == 0);
    assertThat(new BigDecimal(feeLine().path("settled_usdc").asString())).isZero();
    BigInteger before = devUsdc();

    HttpResponse<String> r = api.post("/v1/fees/settle", key, "{}", "fee-settle-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode settlement = body(r);
    assertThat(settlement.path("settled_count").asInt()).isEqualTo(1);
    assertThat(new BigDecimal(settlement.path("total_usdc").asString())).isEqualByComparingTo(fee);
    assertThat(settlement.path("id").asString()).startsWith("swp_");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> new BigDecimal(feeLine().path("settled_usdc").asString()).compareTo(fee) == 0);
    assertThat(new BigDecimal(feeLine().path("accrued_usdc").asString())).isZero();
    assertThat(devUsdc().subtract(before)).isEqualTo(fee.movePointRight(6).toBigIntegerExact());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                body(api.get("/v1/events?type=fee.settled", key))
                    .toString()
                    .toLowerCase()
                    .contains(DEV));
    JsonNode sweptEntries =
        body(api.get("/v1/ledger/entries?account=wallet:8453:" + DEV, key)).get("data");
    assertThat(sweptEntries.get(0).path("kind").asString()).isEqualTo("fee_sweep");
    assertThat(new BigDecimal(sweptEntries.get(0).path("amount").asString()))
        .isEqualByComparingTo(fee);

    // The same request again, and a new one: nothing more is paid, one transaction in all.
    HttpResponse<String> replay = api.post("/v1/fees/settle", key, "{}", "fee-settle-1");
    assertThat(body(replay).path("id").asString()).isEqualTo(settlement.path("id").asString());
    HttpResponse<String> again = api.post("/v1/fees/settle", key, "{}", "fee-settle-2");
    assertThat(body(again).path("settled_count").asInt()).isZero();
    assertThat(sweepIntents("sweep:8453:" + DEV + ":%")).isEqualTo(1);
    assertThat(devUsdc().subtract(before)).isEqualTo(fee.movePointRight(6).toBigIntegerExact());

    // New fees; after the next 00:00 UTC the keeper's daily sweep pays them.
    BigDecimal more = mintWithFee("fee-sweep-mint-2");
    BigInteger beforeDaily = devUsdc();
    HttpResponse<String> moved = api.post("/v1/sandbox/clock", key, "{\"advance\": \"P1D\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                devUsdc().subtract(beforeDaily).equals(more.movePointRight(6).toBigIntegerExact()));
    assertThat(sweepIntents("sweep:8453:" + DEV + ":%:daily-%")).isEqualTo(1);
  }

  @Test
  void aMalformedMinimumIsRefused() throws Exception {
    assertProblem(
        api.post("/v1/fees/settle", sandbox.apiKey(), "{\"minimum_usdc\": -1}"),
        400,
        "invalid_request");
  }
}
