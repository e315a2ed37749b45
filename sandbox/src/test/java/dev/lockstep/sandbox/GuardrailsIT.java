package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;

/**
 * The order book's per-block guardrails through the API (real anvil and PostgreSQL): the book's
 * admin sets them on chain; an order that would breach one is refused {@code 422
 * guardrail_triggered} with the breaker, its value and the window's, and nothing is sent (the
 * settlement wallet's nonce does not move); an order within them is placed.
 */
class GuardrailsIT {
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment base;
  private static OrderBook asAdmin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "guardrails-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
    asAdmin =
        OrderBook.load(
            base.orderBook(),
            web3j,
            ContractDeployer.transactionManager(web3j, DevAccounts.admin(), base.chainId()),
            ContractDeployer.devnetGas(base.chainId()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static BigInteger usdc(long whole) {
    return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(6));
  }

  private static BigInteger nonce(String wallet) throws Exception {
    return web3j
        .ethGetTransactionCount(wallet, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount();
  }

  @Test
  void anOrderOverAGuardrailIsRefusedWithNothingSent() throws Exception {
    String key = sandbox.apiKey();
    String wallet = body(api.get("/v1/settlement_wallets", key)).at("/data/0/address").asString();
    // A first order makes the wallet's approval; the refusals below must send nothing at all.
    HttpResponse<String> first =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "guard-first");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String firstId = body(first).path("id").asString();
    api.awaitStatus("/v1/mints/" + firstId, key, "settled");

    asAdmin
        .setGuardrails(
            new OrderBook.Guardrails(usdc(1_000), usdc(5_000), usdc(10), usdc(20_000), usdc(500)))
        .send();
    BigInteger nonce = nonce(wallet);

    // 10 AAPL at 187.42 with 1% slippage bound: 1,892.94 USDC, over 1,000 per address per block.
    HttpResponse<String> big =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 10, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "guard-big");
    assertProblem(big, 422, "guardrail_triggered");
    JsonNode p = body(big);
    assertThat(p.path("limit").asString()).isEqualTo("mint_max_notional_per_address_per_block");
    assertThat(p.path("limit_value").asString()).isEqualTo("1000.000000");
    assertThat(new java.math.BigDecimal(p.path("current_value").asString()))
        .isGreaterThan(new java.math.BigDecimal("1000"));
    assertThat(p.path("retry_after_seconds").asLong()).isEqualTo(2);
    assertThat(big.headers().firstValue("Retry-After")).contains("2");

    // Dust: 0.01 AAPL is under the 10 USDC floor.
    HttpResponse<String> dust =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 0.01, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "guard-dust");
    assertProblem(dust, 422, "guardrail_triggered");
    assertThat(body(dust).path("limit").asString()).isEqualTo("mint_min_per_tx");
    assertThat(nonce(wallet)).as("nothing sent for the refused mints").isEqualTo(nonce);

    // A redeem whose payout floor is over 500 per block.
    HttpResponse<String> redeem =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"}}""",
            "guard-redeem");
    assertThat(redeem.statusCode()).as(redeem.body()).isEqualTo(201);
    nonce = nonce(wallet);
    asAdmin
        .setGuardrails(
            new OrderBook.Guardrails(usdc(1_000), usdc(5_000), usdc(10), usdc(20_000), usdc(100)))
        .send();
    HttpResponse<String> refused =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 0.9, "payout": {"currency": "USDC", "chain": "base"}}""",
            "guard-redeem-2");
    assertProblem(refused, 422, "guardrail_triggered");
    assertThat(body(refused).path("limit").asString()).isEqualTo("redeem_max_per_block");
    assertThat(nonce(wallet)).as("nothing sent for the refused redeem").isEqualTo(nonce);

    // Within every breaker, a mint goes through.
    HttpResponse<String> small =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 2, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "guard-small");
    assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
    asAdmin
        .setGuardrails(
            new OrderBook.Guardrails(
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO))
        .send();
  }
}
